import CHiredis
import Foundation
import Monitor
import Synchronization
import Threading

/// Reads Celery events from Redis pub/sub on a dedicated thread and hands the raw bytes to a
/// `RawInbox`, reconnecting with backoff when the connection drops.
///
/// Why: Redis disconnects a pub/sub client that falls 32 MB behind (a stall of 0.1 to 0.2 s at full
/// speed), so the reader does nothing but copy the channel and payload of each `pmessage` into a
/// bounded inbox that never blocks; decoding happens elsewhere. Pub/sub has no replay, so every window
/// in which events may have been lost is recorded as a `ConnectionState.Gap`: a disconnect (starting
/// at the last event read, since Redis drops a slow consumer long after it stopped delivering), and a
/// stall (a quiet link is PINGed; no reply for `stall.stallAfter` opens a gap from the last reply, and
/// `stall.reconnectAfter` drops the connection), see `StallDetector`.
///
/// Through Sentinel (`sentinel://`) every connect asks the sentinels for the master (`RedisConnection`'s
/// resolver) and a `SentinelWatch` reports `+switch-master`: the reader then subscribes on the new master
/// at once, while a drain thread keeps reading the old one until Sentinel demotes it and cuts its clients
/// (workers publish there until then), so both streams are folded; the window until the new subscription
/// is a gap whose reason names the failover (`Failover`).
///
/// Invariants: one reader thread per `start()`, plus at most one drain thread per failover; the connection state is read through a lock and
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
        /// When a quiet link is PINGed, counts as stalled, and is reconnected.
        public var stall: StallDetector.Timing
        /// Seconds the reader sleeps after a read that did not fill its buffer, so the next one takes a
        /// batch (0 turns it off; at most half a 20 fps frame, 25 ms). The added latency of an event on a
        /// quiet channel; bigger batches cost less per event in every later stage (docs/celery-wire.md).
        public var coalesce: Double

        public static let defaultCoalesce = 0.025

        public static let defaultMaxPayloadBytes = 8 * 1024 * 1024

        public init(
            url: BrokerURL, pattern: String, connectTimeout: Double = 2, readTimeout: Double = 0.5,
            backoff: ReconnectBackoff = .default, maxPayloadBytes: Int = Configuration.defaultMaxPayloadBytes,
            stall: StallDetector.Timing = .default, coalesce: Double = Configuration.defaultCoalesce
        ) {
            self.url = url
            self.pattern = pattern
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.backoff = backoff
            self.maxPayloadBytes = maxPayloadBytes
            self.stall = stall
            self.coalesce = coalesce
        }

        /// Subscribes to every Celery event of the URL's database, as the workers name the channels.
        public init(url: BrokerURL, options: TransportOptions = .default) {
            self.init(url: url, pattern: EventChannels(db: url.db, options: options).eventPattern)
        }
    }

    /// The system clock in epoch seconds, the default for `clock`.
    public static let systemClock: @Sendable () -> Double = { Date().timeIntervalSince1970 }
    /// Seconds on the monotonic clock, the default for `monotonicClock`: PING timing
    /// must not jump when the wall clock is set.
    public static let systemMonotonicClock: @Sendable () -> Double = { MonotonicClock.now() }

    public let configuration: Configuration
    public let inbox: RawInbox
    private let clock: @Sendable () -> Double
    private let monotonicClock: @Sendable () -> Double

    /// Memory for the messages read, recycled once decoded (shared by the reader and a drain thread):
    /// as much as the inbox and one drained batch hold during a storm, trimmed in a lull.
    private let chunkPool: MessageChunkPool
    // Reader thread only (no lock): the stall rules of the current subscription and the last message read.
    private lazy var writer = MessageWriter(pool: chunkPool)
    private var watch: StallDetector?
    private var lastMessage: RawMessage?
    /// The inbox dropped part of the last batch: an inbox-full gap is open.
    private var shedding = false
    private let sleeps = Atomic<Int>(0)

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var state: ConnectionState
    private var version: UInt64 = 0
    private var started = false
    private var stopRequested = false
    private var finished = false
    /// The reader's socket while it has one, so `stop()` can shut it down.
    private var activeSocket: Int32?
    /// A `+switch-master` the reader has not acted on yet.
    private var pendingSwitch: MasterSwitch?
    /// Old masters still being read after a failover: their sockets (for `stop()`) and how many threads.
    private var drainingSockets: Set<Int32> = []
    private var drainers = 0
    /// Reports `+switch-master`; nil for a direct URL.
    private var sentinelWatch: SentinelWatch?
    /// Test hook: the reader parks (reads nothing) while this is set; `readerParked` acknowledges it.
    private var pauseRequested = false
    private var readerParked = false

    public init(
        configuration: Configuration, inbox: RawInbox = RawInbox(),
        clock: @escaping @Sendable () -> Double = EventSubscriber.systemClock,
        monotonicClock: @escaping @Sendable () -> Double = EventSubscriber.systemMonotonicClock
    ) {
        self.configuration = configuration
        self.inbox = inbox
        self.chunkPool = MessageChunkPool(coveringTwice: inbox)
        self.clock = clock
        self.monotonicClock = monotonicClock
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
        if let sentinel = configuration.url.sentinel, let name = sentinel.masterName {
            let watch = SentinelWatch(
                settings: sentinel, masterName: name, timeouts: .init(connect: configuration.connectTimeout, io: configuration.connectTimeout)
            ) { [weak self] change in self?.noteSwitch(change) }
            sentinelWatch = watch
            watch.start()
        }
        let thread = Thread { [self] in
            // Named from inside (Linux applies a thread's name only there; at most 15 bytes), so
            // /proc and `top -H` show the reader apart from decode and the main loop.
            ThreadName.set("rt.subscriber")
            self.run()
        }
        thread.name = "rt.subscriber"
        thread.start()
    }

    /// How long an old master is read after a failover at most, seconds, should it never cut us.
    static let drainBound = 60.0
    /// Messages between two looks for a pending `+switch-master` in the hot loop (also looked at when idle).
    static let switchCheckInterval = 256

    /// Stops the reader and waits for its thread to finish. Safe to call more than once.
    public func stop() {
        condition.lock()
        let watch = sentinelWatch
        stopRequested = true
        condition.unlock()
        // Outside the lock: the watch's thread takes it to report a switch.
        watch?.stop()
        condition.lock()
        defer { condition.unlock() }
        if let socket = activeSocket {
            _ = chiredis_shutdown(socket)
        }
        for socket in drainingSockets { _ = chiredis_shutdown(socket) }
        condition.broadcast()
        if started {
            while !finished || drainers > 0 { condition.wait() }
        } else if state.phase != .stopped {
            update { $0.phase = .stopped; $0.since = clock() }
        }
    }

    /// For tests: stops reading (as a stuck consumer would) until `resumeReading()`; returns once the
    /// reader is parked. The reader checks only when a read times out, so the hot loop pays nothing;
    /// call it while the channel is quiet (it waits up to a read timeout plus `timeout`).
    /// Returns false if the reader did not park within `timeout` seconds.
    @discardableResult
    public func pauseReading(timeout: Double = 5) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        pauseRequested = true
        let deadline = Date(timeIntervalSinceNow: configuration.readTimeout + timeout)
        while !readerParked, Date() < deadline { _ = condition.wait(until: deadline) }
        return readerParked
    }

    /// For tests: lets a reader parked by `pauseReading()` go on.
    public func resumeReading() {
        condition.lock()
        pauseRequested = false
        condition.broadcast()
        condition.unlock()
    }

    /// The current connection state.
    public var connectionState: ConnectionState { snapshot().state }

    /// Times the reader has slept to let messages gather (`ReadPacer`): about 40 a second at an
    /// everyday rate, none while messages pour in.
    public var readerSleeps: Int { sleeps.load(ordering: .relaxed) }

    /// Chunks of message memory kept for reuse now (`MessageChunkPool`): up to twice the inbox during a
    /// storm, at most `MessageChunkPool.defaultRestingPooled` once the reader has had a lull.
    var idleChunks: Int { chunkPool.idleCount }

    /// Grows by one with every change of `connectionState`, so a consumer can skip unchanged states.
    public var stateVersion: UInt64 { snapshot().version }

    /// State and version read together under the lock.
    public func snapshot() -> (version: UInt64, state: ConnectionState) {
        condition.lock()
        defer { condition.unlock() }
        return (version, state)
    }

    // MARK: - Reader thread

    private func run() {
        // The handshake (AUTH, SELECT) gets the connect timeout; the read loop the short read timeout.
        let handshakeTimeout = max(configuration.connectTimeout, configuration.readTimeout)
        func makeConnection() -> RedisConnection {
            RedisConnection(url: configuration.url, timeouts: .init(connect: configuration.connectTimeout, io: handshakeTimeout))
        }
        var connection = makeConnection()
        var failedAttempts = 0
        while !isStopRequested {
            do {
                try connection.setIOTimeout(handshakeTimeout)
                try connection.connect()
                try connection.setIOTimeout(configuration.readTimeout)
                guard adopt(socket: connection.socketDescriptor) else { break }
                try subscribe(connection)
                failedAttempts = 0
                markSubscribed(server: connection.server)
                watch = StallDetector(timing: configuration.stall, subscribedAt: monotonicClock())
                lastMessage = nil
                shedding = false
                try readUntilStopped(connection)
            } catch let failover as FailoverSignal {
                // Keep reading the old master (workers still publish there) and follow the new one now.
                forget(connection)
                markFailover(failover.change, from: connection.serverDescription)
                drain(OldMaster(connection: connection, endpoint: connection.serverDescription))
                connection = makeConnection()
                watch = nil
                lastMessage = nil
            } catch {
                release(connection)
                if isStopRequested { break }
                failedAttempts += 1
                markFailure(reason: String(describing: error), gapStart: disconnectGapStart())
                watch = nil
                lastMessage = nil
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

    /// Sends PSUBSCRIBE and waits (up to the connect timeout) for its confirmation. Read through the
    /// framer like the hot loop, so messages that arrive with the confirmation go to the inbox.
    private func subscribe(_ connection: RedisConnection) throws {
        try connection.append(["PSUBSCRIBE", configuration.pattern])
        var waited = 0.0
        var early: [RawMessage] = []
        var replies: [RedisReply] = []
        while true {
            let bytesRead = try connection.readFrames(maxPayloadBytes: configuration.maxPayloadBytes) { frame in
                switch frame {
                case .message(let channel, let payload): early.append(writer.message(channel: channel, payload: payload))
                case .oversized(let bytes): inbox.recordOversized(bytes: bytes)
                case .reply(let reply): replies.append(RedisConnection.copy(reply))
                }
            }
            guard bytesRead != nil else {
                waited += configuration.readTimeout
                if isStopRequested { throw RedisError.closed("stopping") }
                if waited >= max(configuration.connectTimeout, configuration.readTimeout) {
                    throw RedisError.timeout("no PSUBSCRIBE confirmation within \(waited) s")
                }
                continue
            }
            for reply in replies {
                if case .error(let message) = reply {
                    if message.hasPrefix("NOAUTH") {
                        throw RedisError.authenticationRequired(endpoint: configuration.url.redacted, message: message)
                    }
                    throw RedisError.server(message)
                }
                if let items = reply.elements, items.first?.text == "psubscribe" {
                    inbox.push(contentsOf: early)
                    return
                }
            }
            replies.removeAll()
        }
    }

    /// The hot loop: copy the pmessages of each read into the inbox as one batch and note the time of
    /// the replies; on a read timeout, PING a quiet link, report a stall, or give up on it. Returns when
    /// a stop was requested.
    ///
    /// Adaptive batching (`ReadPacer`): after a read that drained the socket the reader sleeps so that
    /// the next read takes what arrived meanwhile in one go, as long as gathers one full read at the
    /// current rate and at most `configuration.coalesce`; a read that filled the buffer means more is
    /// waiting, and the reader reads on at once. So at an everyday rate each coalescing cycle is a sleep
    /// and a read: at a few thousand messages per second the reader wakes about 40 times a second
    /// instead of once per message (and the decode thread not at all, `IngestPipeline`). In a storm it
    /// never sleeps: a sleep there would leave up to the sleep × the rate in Redis' output buffer after
    /// every short read (`EventSubscriberBatchingTests.aBurstIsReadAtFullSpeedWithoutBeingCut`).
    ///
    /// pmessages are taken by `PubSubFramer` straight from the read buffer and copied once into pooled
    /// chunks (`MessageWriter`: no allocation per message); the socket's receive buffer is left to the
    /// kernel's autotuning (`net.ipv4.tcp_rmem`, up to 32 MB on Debian), which a fixed `SO_RCVBUF` would
    /// turn off and cap at `net.core.rmem_max`.
    private func readUntilStopped(_ connection: RedisConnection) throws {
        let inbox = self.inbox
        let maxPayload = configuration.maxPayloadBytes
        // TLS coalesces like TCP: a TLS read drains every record that has arrived (`TLSStream`), so a pause
        // batches there too (`TLSConnectionTests.subscriberOverTLSCoalescesLikeTCP`).
        var pacer = ReadPacer(longest: min(configuration.coalesce, Self.maxCoalesce), readBytes: RedisConnection.readBufferBytes)
        var batch: [RawMessage] = []
        batch.reserveCapacity(Self.batchCapacity)
        let followsSentinel = configuration.url.sentinel != nil
        var sinceSwitchCheck = 0
        while true {
            var sawReply = false
            var sawPong = false
            let bytesRead = try connection.readFrames(maxPayloadBytes: maxPayload) { frame in
                sawReply = true
                switch frame {
                case .message(let channel, let payload): batch.append(writer.message(channel: channel, payload: payload))
                case .oversized(let bytes): inbox.recordOversized(bytes: bytes)
                case .reply(let reply): if Self.isPong(reply.pointee) { sawPong = true }
                }
            }
            if !batch.isEmpty {
                lastMessage = batch[batch.count - 1]
                let dropped = inbox.push(moving: &batch)
                if (dropped > 0) != shedding {
                    shedding = dropped > 0
                    markShedding(shedding)
                }
            }
            if sawReply, watch?.replyReceived(at: monotonicClock(), isPong: sawPong) == true { markStallEnded() }
            if followsSentinel {
                // Checked after every `switchCheckInterval` reads and on every timeout.
                sinceSwitchCheck += 1
                if bytesRead == nil || sinceSwitchCheck >= Self.switchCheckInterval {
                    sinceSwitchCheck = 0
                    if let change = takeSwitch(awayFrom: connection.server) { throw FailoverSignal(change: change) }
                }
            }
            if let bytesRead {
                let sleep = pacer.sleep(afterReading: bytesRead, at: monotonicClock())
                // Never while the inbox sheds: decode is behind, and so is everything before it.
                if sleep > 0, !shedding {
                    sleeps.add(1, ordering: .relaxed)
                    chunkPool.trim()
                    usleep(UInt32(sleep * 1_000_000))
                }
                continue
            }
            if isStopRequested { return }
            chunkPool.trim()
            // After a test pause, read what waits before judging the silence (it was ours).
            if parkWhilePaused() { continue }
            switch watch?.check(at: monotonicClock()) ?? .wait {
            case .wait: break
            case .ping: try connection.append(["PING"])
            case .stalled(let since): markStalled(since: epoch(ofMonotonic: since))
            case .reconnect:
                throw RedisError.timeout("stalled: no reply from the broker for \(Int(configuration.stall.reconnectAfter)) s")
            }
        }
    }

    /// The longest coalescing sleep accepted, seconds: half a 20 fps frame.
    static let maxCoalesce = 0.025
    private static let batchCapacity = 1_024

    // MARK: - Failover

    /// Thrown out of the read loop when Sentinel named a new master.
    private struct FailoverSignal: Error {
        var change: MasterSwitch
    }

    /// An old master's connection handed to its drain thread (one thread owns it at a time).
    private struct OldMaster: @unchecked Sendable {
        let connection: RedisConnection
        let endpoint: String
    }

    /// The watch's report: kept until the reader looks (a later switch replaces an earlier one).
    private func noteSwitch(_ change: MasterSwitch) {
        condition.lock()
        pendingSwitch = change
        condition.unlock()
    }

    /// The pending switch if it moves the master away from `server`; a switch to where we already are is dropped.
    private func takeSwitch(awayFrom server: BrokerURL?) -> MasterSwitch? {
        condition.lock()
        defer { condition.unlock() }
        guard let change = pendingSwitch else { return nil }
        pendingSwitch = nil
        guard let server else { return nil }
        return server.endpoint == .tcp(host: change.new.host, port: change.new.port) ? nil : change
    }

    /// Reads the old master on its own thread until it cuts us (Sentinel demotes it), a stop, or `drainBound`.
    private func drain(_ old: OldMaster) {
        condition.lock()
        drainers += 1
        if let socket = old.connection.socketDescriptor { drainingSockets.insert(socket) }
        condition.unlock()
        let thread = Thread { [self] in
            let startedAt = monotonicClock()
            var messages = 0
            var batch: [RawMessage] = []
            var drainWriter = MessageWriter(pool: chunkPool)
            while !isStopRequested, monotonicClock() - startedAt < Self.drainBound {
                do {
                    _ = try old.connection.readFrames(maxPayloadBytes: configuration.maxPayloadBytes) { frame in
                        switch frame {
                        case .message(let channel, let payload): batch.append(drainWriter.message(channel: channel, payload: payload))
                        case .oversized(let bytes): inbox.recordOversized(bytes: bytes)
                        case .reply: break
                        }
                    }
                    messages += batch.count
                    inbox.push(moving: &batch)
                } catch {
                    break
                }
            }
            condition.lock()
            if let socket = old.connection.socketDescriptor { drainingSockets.remove(socket) }
            condition.unlock()
            old.connection.close()
            condition.lock()
            let now = clock()
            update { state in
                guard state.lastFailover?.from == old.endpoint, state.lastFailover?.oldMasterClosedAt == nil else { return }
                state.lastFailover?.oldMasterClosedAt = now
                state.lastFailover?.oldMasterMessages = messages
            }
            drainers -= 1
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "retrytop.old-master"
        thread.start()
    }

    /// Sentinel switched the master: a gap opens now (the new master may get events before we subscribe
    /// there) with the failover as its reason, until `markSubscribed` closes it.
    private func markFailover(_ change: MasterSwitch, from: String) {
        condition.lock()
        defer { condition.unlock() }
        let now = clock()
        let failover = Failover(from: from, to: change.new.description, at: now)
        update { state in
            state.lastFailover = failover
            state.reason = failover.gapReason
            state.phase = .reconnecting
            state.since = now
            state.attempt = 1
            state.openGap(from: now, reason: failover.gapReason)
        }
    }

    /// Converts a reading of the monotonic clock into epoch seconds (via the two clocks' current readings).
    private func epoch(ofMonotonic instant: Double) -> Double {
        clock() - max(0, monotonicClock() - instant)
    }

    /// Where the gap of a connection that just dropped starts: after the last event read and after the
    /// last PING answered, never after now (see `ConnectionState.disconnectGapStart`).
    private func disconnectGapStart() -> Double {
        let now = clock()
        guard let watch else { return now }
        var lastEventAt: Double?
        if let lastMessage {
            // One decode per disconnect, off the hot path: the last message's latest event timestamp.
            var events: [CeleryEvent] = []
            var stats = DecodeStats()
            EventDecoder(maxMessageBytes: configuration.maxPayloadBytes).decode(envelope: lastMessage.payload, into: &events, stats: &stats)
            lastEventAt = events.map(\.timestamp).filter(\.isFinite).max()
        }
        return ConnectionState.disconnectGapStart(
            disconnectAt: now, caughtUpAt: epoch(ofMonotonic: watch.caughtUpAt), lastEventAt: lastEventAt)
    }

    /// Blocks the reader while a test holds it paused (see `pauseReading`); true if it was parked.
    private func parkWhilePaused() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard pauseRequested else { return false }
        readerParked = true
        condition.broadcast()
        while pauseRequested, !stopRequested { condition.wait() }
        readerParked = false
        return true
    }

    /// Whether a reply is the `["pong", …]` Redis sends for PING in pub/sub mode.
    private static func isPong(_ node: redisReply) -> Bool {
        guard node.type == chiredis_reply_array, node.elements >= 1, let kind = node.element[0] else { return false }
        return RedisConnection.copy(kind).text == "pong"
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

    /// Forgets the socket under the lock without closing it (it moves to a drain thread).
    private func forget(_ connection: RedisConnection) {
        condition.lock()
        activeSocket = nil
        condition.unlock()
    }

    /// Forgets the socket under the lock, then closes it, so `stop()` never shuts down a reused fd.
    private func release(_ connection: RedisConnection) {
        condition.lock()
        activeSocket = nil
        condition.unlock()
        connection.close()
    }

    /// Subscribed on `server`. Through Sentinel, a server other than the last one is a failover: one the
    /// watch announced is now followed; one found only by reconnecting is recorded here, and the open gap
    /// says so.
    private func markSubscribed(server: BrokerURL?) {
        condition.lock()
        defer { condition.unlock() }
        let now = clock()
        update { state in
            if configuration.url.sentinel != nil, let server {
                let reached = server.endpointDescription
                if let previous = state.master, previous != reached, state.lastFailover?.to != reached || state.lastFailover?.followedAt != nil {
                    let failover = Failover(from: previous, to: reached, at: state.openGap?.from ?? now)
                    state.lastFailover = failover
                    if let last = state.gaps.indices.last, state.gaps[last].to == nil {
                        state.gaps[last].reason = "\(failover.gapReason) (\(state.gaps[last].reason))"
                    }
                }
                if state.lastFailover?.to == reached, state.lastFailover?.followedAt == nil { state.lastFailover?.followedAt = now }
                state.master = reached
            }
            if state.phase == .reconnecting {
                state.reconnects += 1
                state.closeGap(at: now)
            }
            state.phase = .connected
            state.since = now
            state.attempt = 0
        }
    }

    /// The broker answers again after a stall: the gap closes now.
    private func markStallEnded() {
        condition.lock()
        defer { condition.unlock() }
        let now = clock()
        update { state in
            guard state.phase == .stalled else { return }
            state.closeGap(at: now)
            state.phase = .connected
            state.since = now
        }
    }

    /// The inbox began (true) or stopped (false) dropping messages because decoding fell behind: a gap
    /// with `ConnectionState.inboxFullReason` opens now while connected, and closes when a whole batch
    /// fits again (unless another cause's gap is the open one).
    private func markShedding(_ dropping: Bool) {
        condition.lock()
        defer { condition.unlock() }
        let now = clock()
        update { state in
            if dropping {
                guard state.phase == .connected else { return }
                state.openGap(from: now, reason: ConnectionState.inboxFullReason)
            } else if state.openGap?.reason == ConnectionState.inboxFullReason {
                state.closeGap(at: now)
            }
        }
    }

    /// The broker stopped answering at `since` (epoch): the link is stalled and a gap opens there.
    private func markStalled(since: Double) {
        condition.lock()
        defer { condition.unlock() }
        update { state in
            guard state.phase == .connected else { return }
            state.phase = .stalled
            state.since = since
            state.reason = "no reply from the broker"
            state.openGap(from: since, reason: ConnectionState.stalledReason)
        }
    }

    /// A connect, subscribe or read failed. A subscribed link opens a gap from `gapStart` (a stalled
    /// one already has its gap open, which stays one window until the subscriber is back).
    private func markFailure(reason: String, gapStart: Double) {
        condition.lock()
        defer { condition.unlock() }
        let now = clock()
        update { state in
            state.reason = reason
            switch state.phase {
            case .connected, .stalled:
                state.phase = .reconnecting
                state.since = now
                state.attempt = 1
                state.openGap(from: min(gapStart, now), reason: reason)
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
