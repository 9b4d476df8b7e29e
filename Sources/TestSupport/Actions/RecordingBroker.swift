import Foundation
import Monitor
import RedisLink

/// A fake `BrokerControl` that sends nowhere and remembers every broadcast and push, for tests that an
/// action sent what it should, or nothing. Requests get no replies; reads find nothing.
public final class RecordingBroker: BrokerControl, @unchecked Sendable {
    /// One thing the broker was asked to send.
    public enum Sent: Sendable, Equatable {
        case broadcast(method: String)
        case push(queue: String, taskID: String?)
    }

    private let lock = NSLock()
    private var stored: [Sent] = []

    public init() {}

    public var sent: [Sent] { lock.withLock { stored } }

    @discardableResult
    public func broadcast(_ message: ControlMessage, destination: [String]?) throws -> Int {
        lock.withLock { stored.append(.broadcast(method: message.method)) }
        return 1
    }

    public func request(_ message: ControlMessage, destination: [String]?, timeout: Double) throws -> [String: JSONValue] {
        try broadcast(message, destination: destination)
        return [:]
    }

    @discardableResult
    public func pushTaskMessage(queue: String, priority: Int?, message: [UInt8]) throws -> Int {
        let id = (try? JSONValue.parse(message))?["headers"]?["id"]?.stringValue
        return lock.withLock {
            stored.append(.push(queue: queue, taskID: id))
            return stored.count
        }
    }

    public func get(_ key: String) throws -> [UInt8]? { nil }
    public func lrange(_ key: String, start: Int, stop: Int) throws -> [[UInt8]] { [] }
    public func hgetall(_ key: String) throws -> [String: [UInt8]] { [:] }
}
