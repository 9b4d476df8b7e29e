import CHiredis
import Foundation
import Monitor

/// Reads Celery events from Redis pub/sub on a dedicated thread and hands the raw bytes to a
/// `RawInbox`, reconnecting with backoff when the connection drops.
///
/// Why: Redis disconnects a pub/sub client that falls 32 MB behind (a stall of 0.1 to 0.2 s at full
/// speed), so the reader does nothing but copy the channel and payload of each `pmessage` into a
/// bounded inbox that never blocks; decoding happens elsewhere. Pub/sub has no replay, so every window
/// in which the subscriber was not subscribed is recorded as a `ConnectionState.Gap`.
///
/// Invariants: one reader thread per `start()`; the connection state is read through a lock and
/// `stateVersion` grows with every change. `stop()` returns within about one connect timeout at worst
/// (usually at once: it shuts the socket down under the reader). Bounds: payloads above
/// `maxPayloadBytes` are counted as oversized and dropped; the inbox has its own bounds; gaps keep
/// the last `ConnectionState.maxGaps`.
public final class EventSubscriber: @unchecked Sendable {
    /// What to subscribe to and how patiently.
    public struct Configuration: Sendable, Equatable {
        public var url: BrokerURL
        /// The PSUBSCRIBE pattern, normally `EventChannels.eventPattern`.
        public var pattern: String
        /// Bound on each TCP/unix connect, seconds.
        public var connectTimeout: Double
        /// Read timeout, seconds: how often an idle reader checks whether it should stop.
        public var readTimeout: Double
        public var backoff: ReconnectBackoff
        /// Larger payloads are dropped and counted as oversized.
        public var maxPayloadBytes: Int

        public static let defaultMaxPayloadBytes = 8 * 1024 * 1024

        public init(
            url: BrokerURL, pattern: String, connectTimeout: Double = 2, readTimeout: Double = 0.5,
            backoff: ReconnectBackoff = .default, maxPayloadBytes: Int = Configuration.defaultMaxPayloadBytes
        ) {
            self.url = url
            self.pattern = pattern
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.backoff = backoff
            self.maxPayloadBytes = maxPayloadBytes
        }

        /// Subscribes to every Celery event of the URL's database, as the workers name the channels.
        public init(url: BrokerURL, options: TransportOptions = .default) {
            self.init(url: url, pattern: EventChannels(db: url.db, options: options).eventPattern)
        }
    }

    /// The system clock in epoch seconds, the default for `clock`.
    public static let systemClock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

    public let configuration: Configuration
    public let inbox: RawInbox
    private let clock: @Sendable () -> Double

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var state: ConnectionState
    private var version: UInt64 = 0
    private var started = false
    private var stopRequested = false
    private var finished = false
    /// The reader's socket while it has one, so `stop()` can shut it down.
    private var activeSocket: Int32?

    public init(
        configuration: Configuration, inbox: RawInbox = RawInbox(),
        clock: @escaping @Sendable () -> Double = EventSubscriber.systemClock
    ) {
        self.configuration = configuration
        self.inbox = inbox
        self.clock = clock
        self.state = ConnectionState(
            phase: .connecting, since: clock(), redactedURL: configuration.url.redacted, pattern: configuration.pattern,
            transport: configuration.url.tls.map { $0.verifiesServer ? .tls : .tlsUnverified } ?? .plain)
    }

    /// Starts the reader thread; later calls do nothing.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started, !stopRequested else { return }
        started = true
        let thread = Thread { [self] in
            self.run()
        }
        thread.name = "retrytop.subscriber"
        thread.start()
    }

    /// Stops the reader and waits for its thread to finish. Safe to call more than once.
    public func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopRequested = true
        if let socket = activeSocket {
            _ = chiredis_shutdown(socket)
        }
        condition.broadcast()
        if started {
            while !finished { condition.wait() }
        } else if state.phase != .stopped {
            update { $0.phase = .stopped; $0.since = clock() }
        }
    }

    /// The current connection state.
    public var connectionState: ConnectionState { snapshot().state }

    /// Grows by one with every change of `connectionState`, so a consumer can skip unchanged states.
    public var stateVersion: UInt64 { snapshot().version }

    /// State and version read together under the lock.
    public func snapshot() -> (version: UInt64, state: ConnectionState) {
        condition.lock()
        defer { condition.unlock() }
        return (version, state)
    }

    // MARK: - Reader thread

    private enum ReadOutcome {
        case message
        case other
    }

    private func run() {
        // The handshake (AUTH, SELECT) gets the connect timeout; the read loop the short read timeout.
        let handshakeTimeout = max(configuration.connectTimeout, configuration.readTimeout)
        let connection = RedisConnection(
            url: configuration.url, timeouts: .init(connect: configuration.connectTimeout, io: handshakeTimeout))
        var failedAttempts = 0
        while !isStopRequested {
            do {
                try connection.setIOTimeout(handshakeTimeout)
                try connection.connect()
                try connection.setIOTimeout(configuration.readTimeout)
                guard adopt(socket: connection.socketDescriptor) else { break }
                try subscribe(connection)
                failedAttempts = 0
                markSubscribed()
                try readUntilStopped(connection)
            } catch {
                release(connection)
                if isStopRequested { break }
                failedAttempts += 1
                markFailure(reason: String(describing: error))
                waitBeforeRetry(configuration.backoff.delay(beforeAttempt: failedAttempts))
            }
        }
        release(connection)
        condition.lock()
        update { $0.phase = .stopped; $0.since = clock(); $0.attempt = 0 }
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sends PSUBSCRIBE and waits (up to the connect timeout) for its confirmation.
    private func subscribe(_ connection: RedisConnection) throws {
        try connection.append(["PSUBSCRIBE", configuration.pattern])
        var waited = 0.0
        while true {
            let reply = try connection.readReplyOrTimeout { RedisConnection.copy($0) }
            guard let reply else {
                waited += configuration.readTimeout
                if isStopRequested { throw RedisError.closed("stopping") }
                if waited >= max(configuration.connectTimeout, configuration.readTimeout) {
                    throw RedisError.timeout("no PSUBSCRIBE confirmation within \(waited) s")
                }
                continue
            }
            if case .error(let message) = reply {
                if message.hasPrefix("NOAUTH") {
                    throw RedisError.authenticationRequired(endpoint: configuration.url.redacted, message: message)
                }
                throw RedisError.server(message)
            }
            if let items = reply.elements, items.first?.text == "psubscribe" {
                return
            }
        }
    }

    /// The hot loop: copy each pmessage into the inbox, nothing else. Returns when a stop was requested.
    private func readUntilStopped(_ connection: RedisConnection) throws {
        let inbox = self.inbox
        let maxPayload = configuration.maxPayloadBytes
        while true {
            let outcome = try connection.readReplyOrTimeout { reply in
                Self.deliver(reply, to: inbox, maxPayloadBytes: maxPayload)
            }
            if outcome == nil, isStopRequested { return }
        }
    }

    /// Copies a `["pmessage", pattern, channel, payload]` reply into the inbox.
    private static func deliver(
        _ reply: UnsafePointer<redisReply>, to inbox: RawInbox, maxPayloadBytes: Int
    ) -> ReadOutcome {
        let node = reply.pointee
        guard node.type == chiredis_reply_array, node.elements == pmessageArity,
              let kind = node.element[0],
              isPmessage(kind.pointee),
              let channel = node.element[2], let payload = node.element[3]
        else { return .other }
        let payloadLength = payload.pointee.len
        if payloadLength > maxPayloadBytes {
            inbox.recordOversized(bytes: payloadLength)
            return .other
        }
        inbox.push(RawMessage(
            channel: RedisConnection.bytes(channel.pointee.str, channel.pointee.len),
            payload: RedisConnection.bytes(payload.pointee.str, payloadLength)))
        return .message
    }

    private static let pmessageArity = 4
    private static let pmessageKind: StaticString = "pmessage"

    /// Compares a reply's bytes with "pmessage" without allocating (this runs once per event).
    private static func isPmessage(_ node: redisReply) -> Bool {
        guard node.type == chiredis_reply_string, node.len == pmessageKind.utf8CodeUnitCount, let text = node.str else {
            return false
        }
        return text.withMemoryRebound(to: UInt8.self, capacity: node.len) { bytes in
            UnsafeBufferPointer(start: bytes, count: node.len)
                .elementsEqual(UnsafeBufferPointer(start: pmessageKind.utf8Start, count: pmessageKind.utf8CodeUnitCount))
        }
    }

    // MARK: - Shared state

    private var isStopRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopRequested
    }

    /// Publishes the socket for `stop()`; false (socket not adopted) if a stop is already under way.
    private func adopt(socket: Int32?) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if stopRequested { return false }
        activeSocket = socket
        return true
    }

    /// Forgets the socket under the lock, then closes it, so `stop()` never shuts down a reused fd.
    private func release(_ connection: RedisConnection) {
        condition.lock()
        activeSocket = nil
        condition.unlock()
        connection.close()
    }

    private func markSubscribed() {
        condition.lock()
        defer { condition.unlock() }
        let now = clock()
        update { state in
            if state.phase == .reconnecting {
                state.reconnects += 1
                if let last = state.gaps.indices.last, state.gaps[last].to == nil {
                    state.gaps[last].to = now
                }
            }
            state.phase = .connected
            state.since = now
            state.attempt = 0
        }
    }

    private func markFailure(reason: String) {
        condition.lock()
        defer { condition.unlock() }
        let now = clock()
        update { state in
            state.reason = reason
            switch state.phase {
            case .connected:
                state.phase = .reconnecting
                state.since = now
                state.attempt = 1
                state.gaps.append(.init(from: now, to: nil, reason: reason))
                if state.gaps.count > ConnectionState.maxGaps {
                    state.gaps.removeFirst(state.gaps.count - ConnectionState.maxGaps)
                }
            case .connecting, .reconnecting:
                state.attempt += 1
            case .stopped:
                break
            }
        }
    }

    /// Sleeps for `seconds` unless a stop is requested first.
    private func waitBeforeRetry(_ seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while !stopRequested && Date() < deadline {
            _ = condition.wait(until: deadline)
        }
        condition.unlock()
    }

    /// Applies a change and bumps the version. Caller holds the lock.
    private func update(_ change: (inout ConnectionState) -> Void) {
        change(&state)
        version &+= 1
    }
}
