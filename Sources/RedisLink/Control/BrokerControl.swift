/// The port through which the dashboard acts on the broker: control broadcasts, inspect round trips,
/// requeue pushes and the reads a requeue needs.
///
/// Why: effects leave the core as values and are carried out through this protocol, so the dashboard
/// can be tested with a fake (in TestSupport) and production uses `ControlClient`.
/// Keys are logical names; an implementation applies the broker's `global_keyprefix`.
public protocol BrokerControl: Sendable {
    /// Publishes a control command to every worker (or `destination`); returns how many subscribers got it.
    /// Messages are `ControlMessage` values: each command's wire shape is written there once.
    @discardableResult
    func broadcast(_ message: ControlMessage, destination: [String]?) throws -> Int

    /// Sends a control command and collects `{nodename: result}` replies until `timeout` seconds
    /// pass (or every node in `destination` answered).
    func request(_ message: ControlMessage, destination: [String]?, timeout: Double) throws -> [String: JSONValue]

    /// LPUSHes a complete task message onto `queue` (priority bucket applied); returns the list length.
    @discardableResult
    func pushTaskMessage(queue: String, priority: Int?, message: [UInt8]) throws -> Int

    /// GET; nil when the key does not exist.
    func get(_ key: String) throws -> [UInt8]?

    /// LRANGE `start...stop` (inclusive, negative from the end).
    func lrange(_ key: String, start: Int, stop: Int) throws -> [[UInt8]]

    /// HGETALL; field names decoded as UTF-8.
    func hgetall(_ key: String) throws -> [String: [UInt8]]
}
