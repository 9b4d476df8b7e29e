import Foundation
import Monitor
import RedisLink

/// Reads what Redis holds about tasks that predate retrytop, on background threads, after subscribing.
///
/// Why: the failures people most want to requeue and the retries they wait on are the ones from before
/// they looked (issue 12). Four sources, each on its own thread and its own connection, so an error or
/// a slow backend in one does not stop the others and the first frame is never delayed:
/// - the broker's `unacked` hash, read with `HSCAN ... COUNT 1000` (never one giant HGETALL);
/// - every bound queue (`_kombu.binding.*` found with SCAN, members read with SMEMBERS): lengths with
///   `LLEN` on the list and its priority sub-lists, then the messages with `LRANGE` pages of 1000; the
///   lengths are read again every `queueRefresh` seconds for as long as retrytop runs;
/// - the workers: `inspect active`, `reserved`, `scheduled` and `revoked` through `ControlClient`, each
///   waiting `inspectTimeout` for replies;
/// - a Redis result backend, `SCAN 0 MATCH celery-task-meta-* COUNT 1000` with each page's `MGET`
///   pipelined behind the next `SCAN` (never `KEYS`), SCAN's duplicates ignored.
/// It only reads. Found tasks are handed over in batches through a lock; the loop merges them.
/// Bounds: each source stops at `configuration.limit` keys or messages (reported as `limited`); one page is at most
/// `scanCount` keys; the handed-over queue holds what the loop has not taken yet (at most the limit).
public final class BackfillReader: @unchecked Sendable {
    public let configuration: BackfillConfiguration
    private let clock: @Sendable () -> Double
    private let isSubscribed: @Sendable () -> Bool
    private let lock = NSLock()
    private var pending: [BackfilledTask] = []
    /// The queue lengths not taken yet (only the newest is kept).
    private var pendingQueues: QueueDepths?
    private var status: BackfillStatus
    private var statusChanged = true
    private var stopping = false
    private var threads: [Thread] = []
    /// Entered for each running source thread; `stop()` waits on it, so no thread is inside a connect or a
    /// TLS handshake when the process exits (OpenSSL's exit-time cleanup under a running handshake crashes).
    private let running = DispatchGroup()
    /// How long `stop()` waits for the threads (a connect times out by then).
    static let stopWait: Double = 5

    /// - Parameters:
    ///   - clock: epoch seconds (the runtime's clock; the core reads none).
    ///   - isSubscribed: whether the event subscription is in place; reading waits for it (up to
    ///     `configuration.subscribeWait`), so nothing that happens meanwhile is missed.
    public init(
        configuration: BackfillConfiguration, clock: @escaping @Sendable () -> Double,
        isSubscribed: @escaping @Sendable () -> Bool = { true }
    ) {
        self.configuration = configuration
        self.clock = clock
        self.isSubscribed = isSubscribed
        var status = BackfillStatus(enabled: true, watchingSince: clock())
        status.update(BackfillSourceReport(source: .unacked))
        status.update(BackfillSourceReport(source: .queue))
        var inspect = BackfillSourceReport(source: .inspect)
        if configuration.inspectTimeout <= 0 {
            inspect.phase = .skipped
            inspect.error = "inspect is disabled"
        }
        status.update(inspect)
        var backend = BackfillSourceReport(source: .resultBackend)
        if configuration.resultBackend.url == nil {
            backend.phase = .skipped
            backend.error = configuration.resultBackend.skipReason
        }
        status.update(backend)
        self.status = status
    }

    /// Starts both sources on their own threads.
    public func start() {
        lock.lock()
        let started = !threads.isEmpty
        lock.unlock()
        guard !started else { return }
        var sources: [(String, @Sendable () -> Void)] = [
            ("retrytop.backfill.unacked", { [self] in readUnacked() }),
            ("retrytop.backfill.queues", { [self] in readQueues() }),
        ]
        if configuration.inspectTimeout > 0 {
            sources.append(("retrytop.backfill.inspect", { [self] in readInspect() }))
        }
        if configuration.resultBackend.url != nil {
            sources.append(("retrytop.backfill.results", { [self] in readResultBackend() }))
        }
        for (name, body) in sources {
            running.enter()
            let thread = Thread { [self] in
                defer { running.leave() }
                waitForSubscription()
                guard !shouldStop else { return }
                body()
            }
            thread.name = name
            thread.qualityOfService = .utility
            lock.lock()
            threads.append(thread)
            lock.unlock()
            thread.start()
        }
    }

    /// Asks the threads to stop after their current page (they close their connections) and waits for
    /// them, at most `stopWait` seconds.
    public func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        _ = running.wait(timeout: .now() + Self.stopWait)
    }

    /// Tasks found since the last take, and the status when it changed.
    public func take() -> BackfillDelivery {
        lock.lock()
        defer { lock.unlock() }
        var delivery = BackfillDelivery(tasks: pending, queues: pendingQueues)
        pending = []
        pendingQueues = nil
        if statusChanged {
            delivery.status = status
            statusChanged = false
        }
        return delivery
    }

    /// The status now (for `snapshot`'s wait).
    public var currentStatus: BackfillStatus {
        lock.lock()
        defer { lock.unlock() }
        return status
    }

    // MARK: - Sources

    private var shouldStop: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func waitForSubscription() {
        let deadline = clock() + configuration.subscribeWait
        while !isSubscribed(), clock() < deadline, !shouldStop { usleep(10_000) }
    }

    private func report(_ source: TaskSource, found: [BackfilledTask] = [], _ change: (inout BackfillSourceReport) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        pending.append(contentsOf: found)
        var report = status[source] ?? BackfillSourceReport(source: source)
        change(&report)
        status.update(report)
        statusChanged = true
    }

    /// Runs one source on its own connection: running, then done or failed with the error (the other
    /// source goes on either way).
    private func read(_ source: TaskSource, url: BrokerURL, what: String, _ body: (RedisConnection) throws -> Void) {
        report(source) {
            $0.phase = .running
            $0.startedAt = clock()
        }
        let connection = RedisConnection(url: url)
        defer { connection.close() }
        do {
            try connection.connect()
            try body(connection)
            report(source) {
                $0.phase = .done
                $0.finishedAt = clock()
            }
        } catch {
            report(source) {
                $0.phase = .failed
                $0.error = "reading \(what) failed: \(error)"
                $0.finishedAt = clock()
            }
        }
    }

    private func readUnacked() {
        let key = configuration.keyPrefix + "unacked"
        read(.unacked, url: configuration.broker, what: key) { connection in
            let total = try connection.command(["HLEN", key]).checked().integer.map { Int($0) }
            report(.unacked) { $0.total = total }
            var cursor = "0"
            var scanned = 0
            repeat {
                let reply = try connection.command(["HSCAN", key, cursor, "COUNT", "\(BackfillConfiguration.scanCount)"]).checked()
                guard let parts = reply.elements, parts.count == 2, let next = parts[0].text, let items = parts[1].elements else {
                    throw RedisError.unexpectedReply("HSCAN gave \(reply)")
                }
                cursor = next
                let now = clock()
                var found: [BackfilledTask] = []
                var malformed = 0
                var index = 1
                while index < items.count {
                    if let value = items[index].bytes,
                       let task = BackfilledTask.fromUnackedEntry(value, readAt: now, visibilityTimeout: configuration.visibilityTimeout) {
                        found.append(task)
                    } else {
                        malformed += 1
                    }
                    index += 2
                }
                scanned += items.count / 2
                let limited = scanned >= configuration.limit
                report(.unacked, found: found) {
                    $0.keysScanned = scanned
                    $0.tasksFound += found.count
                    $0.malformed += malformed
                    $0.limited = limited
                }
                if limited { break }
            } while cursor != "0" && !shouldStop
        }
    }

    private func readResultBackend() {
        guard let url = configuration.resultBackend.url else { return }
        read(.resultBackend, url: url, what: "the result backend \(url.redacted)") { connection in
            var seen = Set<[UInt8]>()
            var cursor = "0"
            var scanned = 0
            var limited = false
            var waitingKeys: [[UInt8]] = []
            // Each page's MGET is sent together with the next SCAN: one round trip per page.
            func scan(_ cursor: String) throws {
                try connection.append(["SCAN", cursor, "MATCH", "celery-task-meta-*", "COUNT", "\(BackfillConfiguration.scanCount)"])
            }
            try scan(cursor)
            while true {
                if !waitingKeys.isEmpty { try connection.append([Array("MGET".utf8)] + waitingKeys) }
                let scanReply = try connection.getReply().checked()
                let values = waitingKeys.isEmpty ? nil : try connection.getReply().checked().elements
                if let values { deliver(values, keys: waitingKeys.count, scanned: &scanned) }
                waitingKeys = []
                guard let parts = scanReply.elements, parts.count == 2, let next = parts[0].text, let keys = parts[1].elements else {
                    throw RedisError.unexpectedReply("SCAN gave \(scanReply)")
                }
                cursor = next
                for key in keys {
                    guard let bytes = key.bytes, seen.count < configuration.limit, seen.insert(bytes).inserted else {
                        if seen.count >= configuration.limit { limited = true }
                        continue
                    }
                    waitingKeys.append(bytes)
                }
                if cursor == "0" || limited || shouldStop {
                    if !waitingKeys.isEmpty {
                        let values = try connection.command([Array("MGET".utf8)] + waitingKeys).checked().elements
                        deliver(values ?? [], keys: waitingKeys.count, scanned: &scanned)
                    }
                    break
                }
                try scan(cursor)
            }
            let cut = limited
            report(.resultBackend) { $0.limited = cut }
        }
    }

    // MARK: - Queues

    /// Exchanges whose bindings are not task queues: the pidbox and event fanouts (docs/celery-wire.md,
    /// "Bindings: which sets name task queues").
    static let internalExchanges: Set<String> = ["celery.pidbox", PidboxRequest.replyExchange, "celeryev"]

    /// Reads the queues once (lengths, then messages up to the bound), then refreshes the lengths until stopped.
    private func readQueues() {
        read(.queue, url: configuration.broker, what: "the queues") { connection in
            let depths = try queueDepths(connection)
            publish(depths)
            report(.queue) { $0.total = min(depths.total, configuration.limit) }
            var scanned = 0
            reading: for depth in depths.queues {
                for (step, length) in depth.bySteps.enumerated() where length > 0 {
                    let key = prefixed(PriorityBucket.key(queue: depth.name, step: PriorityBucket.steps[step]))
                    var start = 0
                    while start < length {
                        guard scanned < configuration.limit, !shouldStop else { break reading }
                        let count = min(BackfillConfiguration.scanCount, configuration.limit - scanned)
                        let reply = try connection.command([Array("LRANGE".utf8), key, Array(String(start).utf8), Array(String(start + count - 1).utf8)]).checked()
                        let items = reply.elements ?? []
                        let now = clock()
                        var found: [BackfilledTask] = []
                        for item in items {
                            guard let bytes = item.bytes, var task = BackfilledTask.fromTaskMessage(bytes, source: .queue, readAt: now) else { continue }
                            if task.queue == nil { task.queue = depth.name }
                            found.append(task)
                        }
                        scanned += items.count
                        let total = scanned, malformed = items.count - found.count, limited = scanned >= configuration.limit
                        report(.queue, found: found) {
                            $0.keysScanned = total
                            $0.tasksFound += found.count
                            $0.malformed += malformed
                            $0.limited = limited && total < depths.total
                        }
                        if items.count < count { break }  // the list shrank meanwhile (workers took messages)
                        start += count
                    }
                }
            }
        }
        refreshQueues()
    }

    /// Reads the lengths every `queueRefresh` seconds on its own connection until stopped; a failed read
    /// keeps the last lengths and says why.
    private func refreshQueues() {
        guard configuration.queueRefresh > 0 else { return }
        let connection = RedisConnection(url: configuration.broker)
        defer { connection.close() }
        var last = QueueDepths()
        while true {
            let deadline = clock() + configuration.queueRefresh
            while clock() < deadline {
                if shouldStop { return }
                usleep(50_000)
            }
            do {
                if !connection.isConnected { try connection.connect() }
                last = try queueDepths(connection)
            } catch {
                connection.close()
                last.error = "reading the queue lengths failed: \(error)"
            }
            publish(last)
        }
    }

    /// Every queue bound on the broker with its length per priority list: SCAN for `_kombu.binding.*`,
    /// SMEMBERS of each, then one pipelined `LLEN` per list (constant time each: lengths, not reads).
    private func queueDepths(_ connection: RedisConnection) throws -> QueueDepths {
        let bindingPrefix = Array((configuration.keyPrefix + KombuBinding.setKey(exchange: "")).utf8)
        var bindingKeys: [[UInt8]] = []
        var cursor = "0"
        repeat {
            let reply = try connection.command([
                Array("SCAN".utf8), Array(cursor.utf8), Array("MATCH".utf8), globEscaped(bindingPrefix) + [UInt8(ascii: "*")],
                Array("COUNT".utf8), Array("\(BackfillConfiguration.scanCount)".utf8),
            ]).checked()
            guard let parts = reply.elements, parts.count == 2, let next = parts[0].text, let keys = parts[1].elements else {
                throw RedisError.unexpectedReply("SCAN gave \(reply)")
            }
            cursor = next
            for key in keys {
                guard let bytes = key.bytes, bytes.count > bindingPrefix.count else { continue }
                let exchange = String(decoding: bytes[bindingPrefix.count...], as: UTF8.self)
                if !Self.internalExchanges.contains(exchange), !bindingKeys.contains(bytes) { bindingKeys.append(bytes) }
            }
        } while cursor != "0" && bindingKeys.count < QueueDepths.maxQueues * 4
        var names = Set<String>()
        for key in bindingKeys {
            for member in try connection.command([Array("SMEMBERS".utf8), key]).checked().elements ?? [] {
                if let bytes = member.bytes, let binding = KombuBinding(member: bytes), !binding.queue.isEmpty { names.insert(binding.queue) }
            }
        }
        let queues = names.sorted()
        for queue in queues {
            for listKey in PriorityBucket.allKeys(queue: queue) { try connection.append([Array("LLEN".utf8), prefixed(listKey)]) }
        }
        var depths: [QueueDepth] = []
        for queue in queues {
            var bySteps: [Int] = []
            for _ in PriorityBucket.steps { bySteps.append(Int(clamping: try connection.getReply().checked().integer ?? 0)) }
            depths.append(QueueDepth(name: queue, bySteps: bySteps))
        }
        return QueueDepths(queues: depths, readAt: clock())
    }

    private func publish(_ depths: QueueDepths) {
        lock.lock()
        pendingQueues = depths
        lock.unlock()
    }

    private func prefixed(_ key: [UInt8]) -> [UInt8] { Array(configuration.keyPrefix.utf8) + key }

    /// A SCAN pattern that matches `bytes` literally (glob characters escaped).
    private func globEscaped(_ bytes: [UInt8]) -> [UInt8] {
        var escaped: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "\\") {
                escaped.append(UInt8(ascii: "\\"))
            }
            escaped.append(byte)
        }
        return escaped
    }

    // MARK: - Inspect

    /// Asks every worker what it holds and which ids it revoked; each method waits `inspectTimeout`.
    private func readInspect() {
        report(.inspect) {
            $0.phase = .running
            $0.startedAt = clock()
        }
        let client = ControlClient(url: configuration.broker, options: configuration.transport, clock: clock)
        defer { client.close() }
        do {
            for message in InspectReplies.methods {
                guard !shouldStop else { break }
                let replies = try client.request(message, timeout: configuration.inspectTimeout)
                let (found, malformed) = InspectReplies.tasks(message, replies: replies, readAt: clock())
                report(.inspect, found: found) {
                    $0.keysScanned += found.count + malformed
                    $0.tasksFound += found.filter { !$0.isRevokedEntry }.count
                    $0.malformed += malformed
                }
            }
            report(.inspect) {
                $0.phase = .done
                $0.finishedAt = clock()
            }
        } catch {
            report(.inspect) {
                $0.phase = .failed
                $0.error = "inspect failed: \(error)"
                $0.finishedAt = clock()
            }
        }
    }

    private func deliver(_ values: [RedisReply], keys: Int, scanned: inout Int) {
        let now = clock()
        var found: [BackfilledTask] = []
        var malformed = 0
        for value in values {
            guard let bytes = value.bytes else { continue } // expired between SCAN and MGET
            if let task = BackfilledTask.fromResultMeta(bytes, readAt: now) { found.append(task) } else { malformed += 1 }
        }
        scanned += keys
        let total = scanned
        report(.resultBackend, found: found) {
            $0.keysScanned = total
            $0.tasksFound += found.count
            $0.malformed += malformed
        }
    }
}
