import Foundation

/// Talks to the broker for everything that is not the event stream: pidbox broadcasts (revoke,
/// heartbeat), inspect round trips, requeue pushes, and reads of queues, `unacked` and result keys.
///
/// Why: control traffic must not share the subscriber's connection (a subscribed connection accepts
/// no other commands, and the reader must never wait); this client owns a separate `RedisConnection`
/// and reconnects and retries once when that connection was lost (e.g. after a broker restart).
/// Timeouts are not retried: the command may have run.
///
/// Invariants: calls are serialised by a lock, so the client is safe to share between threads; a
/// `request` holds it for up to its timeout. Keys are logical: `global_keyprefix` is prepended to
/// every key and to the pidbox channel. Bounds: every Redis call is bounded by `timeouts.io`; a
/// `request` by its `timeout` plus one I/O timeout.
public final class ControlClient: BrokerControl, @unchecked Sendable {
    /// Seconds `broadcast` puts into the `expires` header, as `celery control` does by default.
    public static let defaultBroadcastTimeout = 1.0
    /// Celery's default signal for `revoke(terminate=True)`.
    public static let defaultTerminateSignal = "SIGTERM"

    public let url: BrokerURL
    public let options: TransportOptions
    public let channels: EventChannels
    private let clock: @Sendable () -> Double
    private let lock = NSLock()
    /// Guarded by `lock`.
    private let connection: RedisConnection

    public init(
        url: BrokerURL, options: TransportOptions = .default, timeouts: RedisConnection.Timeouts = .default,
        clock: @escaping @Sendable () -> Double = EventSubscriber.systemClock
    ) {
        self.url = url
        self.options = options
        self.channels = EventChannels(db: url.db, options: options)
        self.clock = clock
        self.connection = RedisConnection(url: url, timeouts: timeouts)
    }

    /// The channel control commands go to, e.g. `/0.celery.pidbox`.
    public var pidboxChannel: String { channels.pidboxChannel }

    /// Closes the connection; the next call reconnects.
    public func close() {
        lock.lock()
        connection.close()
        lock.unlock()
    }

    /// Runs one command (keys must already carry any prefix), reconnecting and retrying once if the
    /// connection was lost.
    @discardableResult
    public func command(_ arguments: [[UInt8]]) throws -> RedisReply {
        try perform { try $0.command(arguments) }
    }

    @discardableResult
    public func command(_ arguments: [String]) throws -> RedisReply {
        try command(arguments.map { Array($0.utf8) })
    }

    // MARK: - Pidbox

    @discardableResult
    public func broadcast(_ message: ControlMessage, destination: [String]? = nil) throws -> Int {
        try publish(PidboxRequest(method: message.method, arguments: message.arguments, destination: destination),
                    timeout: Self.defaultBroadcastTimeout)
    }

    /// Revokes `ids` on every worker (a broadcast of `ControlMessage.revoke`); returns the receivers.
    @discardableResult
    public func revoke(ids: [String], terminate: Bool, signal: String = ControlClient.defaultTerminateSignal) throws -> Int {
        try broadcast(.revoke(ids: ids, terminate: terminate, signal: signal))
    }

    /// Sends `heartbeat`, which makes every worker emit a worker-heartbeat event at once.
    @discardableResult
    public func requestHeartbeat() throws -> Int {
        try broadcast(.heartbeat)
    }

    /// The inspect round trip of SPEC §3.4: bind a fresh reply queue, publish with ticket and
    /// reply_to, BRPOP replies with the same ticket until `timeout`, then unbind and delete the lists.
    public func request(_ message: ControlMessage, destination: [String]? = nil, timeout: Double = 1.0) throws -> [String: JSONValue] {
        let oid = Self.uuid()
        let ticket = Self.uuid()
        let replyQueue = "\(oid).\(PidboxRequest.replyExchange)"
        let bindingKey = key(KombuBinding.setKey(exchange: PidboxRequest.replyExchange))
        let member = KombuBinding(routingKey: oid, pattern: "", queue: replyQueue).member
        let replyKeys = PriorityBucket.allKeys(queue: replyQueue).map(key)

        _ = try perform { try $0.command([Array("SADD".utf8), bindingKey, member]).checked() }
        defer {
            _ = try? perform { connection in
                try connection.command([Array("SREM".utf8), bindingKey, member])
                try connection.command([Array("DEL".utf8)] + replyKeys)
            }
        }

        let started = DispatchTime.now().uptimeNanoseconds
        _ = try publish(
            PidboxRequest(
                method: message.method, arguments: message.arguments, destination: destination, ticket: ticket, replyRoutingKey: oid),
            timeout: timeout)

        var replies: [String: JSONValue] = [:]
        let wanted = Set(destination ?? [])
        while true {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let remaining = timeout - elapsed
            // BRPOP 0 would block forever; stop when less than a millisecond is left.
            guard remaining >= 0.001 else { break }
            let slice = min(remaining, pollSlice)
            let reply = try perform {
                try $0.command([Array("BRPOP".utf8)] + replyKeys + [Array(String(format: "%.3f", slice).utf8)]).checked()
            }
            guard let pair = reply.elements, pair.count == 2, let payload = pair[1].bytes else { continue }
            guard let envelope = try? KombuEnvelope.decode(payload),
                  envelope.headers["ticket"]?.stringValue == ticket,
                  let body = try? envelope.bodyJSON().objectValue
            else { continue }
            replies.merge(body) { _, new in new }
            if !wanted.isEmpty && wanted.isSubset(of: replies.keys) { break }
        }
        return replies
    }

    // MARK: - Task messages and reads

    @discardableResult
    public func pushTaskMessage(queue: String, priority: Int?, message: [UInt8]) throws -> Int {
        let listKey = key(PriorityBucket.key(queue: queue, priority: priority))
        let reply = try perform { try $0.command([Array("LPUSH".utf8), listKey, message]).checked() }
        guard let length = reply.integer else { throw RedisError.unexpectedReply("LPUSH answered \(reply)") }
        return Int(length)
    }

    public func get(_ name: String) throws -> [UInt8]? {
        let reply = try perform { try $0.command([Array("GET".utf8), key(name)]).checked() }
        return reply.bytes
    }

    public func lrange(_ name: String, start: Int = 0, stop: Int = -1) throws -> [[UInt8]] {
        try lrange(key: Array(name.utf8), start: start, stop: stop)
    }

    /// LRANGE of a binary list name, such as a priority list `PriorityBucket.key(queue:priority:)`.
    public func lrange(key name: [UInt8], start: Int = 0, stop: Int = -1) throws -> [[UInt8]] {
        let reply = try perform {
            try $0.command([Array("LRANGE".utf8), key(name), Array(String(start).utf8), Array(String(stop).utf8)]).checked()
        }
        return (reply.elements ?? []).compactMap(\.bytes)
    }

    /// LLEN of a binary list name.
    public func llen(key name: [UInt8]) throws -> Int {
        let reply = try perform { try $0.command([Array("LLEN".utf8), key(name)]).checked() }
        return Int(reply.integer ?? 0)
    }

    public func hgetall(_ name: String) throws -> [String: [UInt8]] {
        let reply = try perform { try $0.command([Array("HGETALL".utf8), key(name)]).checked() }
        let items = reply.elements ?? []
        var result: [String: [UInt8]] = [:]
        var index = 0
        while index + 1 < items.count {
            if let field = items[index].text, let value = items[index + 1].bytes { result[field] = value }
            index += 2
        }
        return result
    }

    public func hget(_ name: String, field: String) throws -> [UInt8]? {
        let reply = try perform { try $0.command([Array("HGET".utf8), key(name), Array(field.utf8)]).checked() }
        return reply.bytes
    }

    /// `CLIENT LIST` text, e.g. to see whether a subscriber is still connected (`psub=1`).
    public func clientList() throws -> String {
        try perform { try $0.clientList() }
    }

    // MARK: - Internals

    /// BRPOP waits in slices shorter than the I/O timeout, so a slow reply is never taken for a dead link.
    private var pollSlice: Double { max(0.01, min(1.0, connection.timeouts.io / 2)) }

    private func publish(_ request: PidboxRequest, timeout: Double) throws -> Int {
        let envelope = KombuEnvelope.controlRequest(body: request.json, expires: clock() + timeout, deliveryTag: Self.uuid())
        let channel = Array(pidboxChannel.utf8)
        let reply = try perform { try $0.command([Array("PUBLISH".utf8), channel, envelope.encoded()]).checked() }
        guard let receivers = reply.integer else { throw RedisError.unexpectedReply("PUBLISH answered \(reply)") }
        return Int(receivers)
    }

    private func key(_ name: String) -> [UInt8] { key(Array(name.utf8)) }

    private func key(_ name: [UInt8]) -> [UInt8] {
        options.globalKeyprefix.isEmpty ? name : Array(options.globalKeyprefix.utf8) + name
    }

    /// Runs `body` on the connection under the lock; reconnects and retries once on connection loss.
    private func perform<T>(_ body: (RedisConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if !connection.isConnected { try connection.connect() } else { try connection.followMaster() }
        do {
            return try body(connection)
        } catch let error as RedisError where error.isConnectionLoss {
            try connection.connect()
            return try body(connection)
        }
    }

    private static func uuid() -> String { UUID().uuidString.lowercased() }
}
