import Foundation
import Testing
@testable import Monitor
import TestSupport

@Suite struct FoldTests {
    func fold(_ phase: String, limits: MonitorLimits = MonitorLimits()) throws -> MonitorState {
        try foldWithLink(phase, limits: limits).state
    }

    /// The fold of a captured phase with the link's decode counters.
    func foldWithLink(_ phase: String, limits: MonitorLimits = MonitorLimits()) throws -> (state: MonitorState, link: LinkStatus) {
        var state = MonitorState(limits: limits)
        var link = LinkStatus()
        let decoder = EventDecoder()
        for message in try WireFixture.eventEnvelopes(phase) {
            var events: [CeleryEvent] = []
            decoder.decode(envelope: message.payload, into: &events, stats: &link.decodeStats)
            state.apply(events)
        }
        return (state, link)
    }

    @Test func capturedRetrySequenceFoldsIntoAttemptsWithRetryAt() throws {
        let state = try fold("p2")
        let task = try #require(state.tasks["68661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0b"] ?? state.tasks.values.first { $0.id.hasPrefix("68661b92") })
        #expect(task.name == "app.flaky")
        #expect(task.state == .failure)
        #expect(task.retries == 3)
        #expect(task.attempts.map(\.number) == [1, 2, 3, 4])
        #expect(task.attempts.map(\.outcome) == [.retry, .retry, .retry, .failure])
        #expect(task.attempts.map(\.exception) == [
            "ConnectionError('flaky attempt 0 x=7')", "ConnectionError('flaky attempt 1 x=7')",
            "ConnectionError('flaky attempt 2 x=7')", "ConnectionError('flaky attempt 3 x=7')",
        ])
        let etas = ["2026-11-26T12:31:45.675213+00:00", "2026-11-26T12:31:47.677852+00:00", "2026-11-26T12:31:51.680442+00:00"].map { ISO8601.epoch($0) }
        #expect(task.attempts.prefix(3).map(\.retryAt) == etas)
        #expect(task.attempts[3].retryAt == nil)
        // The backoff doubled: 1 s, 2 s, 4 s between an attempt's end and the next one's due time.
        let waits = task.attempts.prefix(3).compactMap(\.backoffWait)
        #expect(waits.count == 3)
        for (wait, expected) in zip(waits, [1.0, 2.0, 4.0]) { #expect(abs(wait - expected) < 0.1) }
        #expect(task.attempts.allSatisfy { $0.worker == "w1@vm" && $0.started != nil && $0.ended != nil })
        #expect(state.traceback(taskID: task.id, attempt: 4)?.contains("ConnectionError") == true)
        #expect(state.stats.lateEvents == 0)
    }

    @Test func everyCapturedPhaseFoldsWithoutOrphansOrBadStates() throws {
        for phase in ["p1", "p2", "p3", "p6", "p9"] {
            let (state, link) = try foldWithLink(phase)
            #expect(link.decodeStats.malformed == 0)
            #expect(!state.tasks.isEmpty, "\(phase)")
            for task in state.tasks.values {
                #expect(task.name != nil || task.revocation != nil, "\(phase) \(task.id)")
                // No finished attempt may follow an attempt still in flight.
                let numbers = task.attempts.map(\.number)
                #expect(numbers == numbers.sorted())
            }
            #expect(state.count(.started) == state.activeIDs.count)
            #expect(state.count(.retry) == state.retryingIDs.count)
            #expect(TaskState.allCases.reduce(0) { $0 + state.count($1) } == state.tasks.count)
        }
    }

    @Test func receivedOfTheNextAttemptBeforeRetriedDoesNotConfuseAttempts() {
        var worker = EventBuilder()
        var state = MonitorState()
        let eta = worker.time + 5
        state.apply([worker.received("t"), worker.started("t")])
        // Celery's order on the wire: received(retries=1) at clock N, then task-retried of attempt 1 at N+1.
        state.apply(worker.received("t", retries: 1, eta: eta))
        #expect(state.tasks["t"]?.state == .retry)
        state.apply(worker.retried("t"))
        let task = state.tasks["t"]
        #expect(task?.state == .retry)
        #expect(task?.attempts.map(\.outcome) == [.retry, nil])
        #expect(task?.attempts[0].retryAt == eta)
        #expect(task?.nextAttemptAt == eta)
        #expect(state.retryingIDs == [TaskKey("t")])
        state.apply([worker.started("t", after: 5), worker.succeeded("t")])
        #expect(state.tasks["t"]?.state == .success)
        #expect(state.tasks["t"]?.attempts.map(\.outcome) == [.retry, .success])
        #expect(state.retryingIDs.isEmpty)
    }

    @Test func lateRetryFromAnotherWorkerNeverOverridesTheFinishedState() {
        var first = EventBuilder(worker: "w1@a")
        var second = EventBuilder(worker: "w2@b")
        var state = MonitorState()
        state.apply([first.received("t"), first.started("t")])
        // Attempt 2 runs on w2 and finishes before w1's task-retried of attempt 1 arrives.
        state.apply([second.received("t", retries: 1, eta: first.time + 1), second.started("t", after: 1), second.succeeded("t")])
        #expect(state.tasks["t"]?.state == .success)
        state.apply(first.retried("t"))
        let task = state.tasks["t"]
        #expect(task?.state == .success)
        #expect(task?.attempts.map(\.outcome) == [.retry, .success])
        #expect(task?.attempts.map(\.worker) == ["w1@a", "w2@b"])
        #expect(state.stats.lateEvents >= 1)
        #expect(state.count(.success) == 1 && state.count(.retry) == 0)
    }

    @Test func shuffledCrossWorkerInterleavingsFoldToTheSameResult() throws {
        // Build a storm across three workers where each attempt may run anywhere, then deliver
        // the events of different workers in random interleavings that keep each worker's own order.
        var generator = SplitMix(seed: 7)
        var workers = (0..<3).map { EventBuilder(worker: "w\($0)@h") }
        var streams: [[CeleryEvent]] = [[], [], []]
        var expected: [String: (TaskState, Int)] = [:]
        for taskIndex in 0..<200 {
            let id = "task-\(taskIndex)"
            let attempts = Int(generator.next() % 4) + 1
            let succeeds = generator.next() % 3 != 0
            for attempt in 1...attempts {
                let index = Int(generator.next() % 3)
                var events = [workers[index].received(id, retries: attempt - 1, eta: attempt > 1 ? workers[index].time + 1 : nil)]
                events.append(workers[index].started(id))
                if attempt < attempts {
                    events.append(workers[index].retried(id))
                } else {
                    events.append(succeeds ? workers[index].succeeded(id) : workers[index].failed(id))
                }
                streams[index].append(contentsOf: events)
            }
            expected[id] = (succeeds ? .success : .failure, attempts)
        }
        for _ in 0..<5 {
            var cursors = [0, 0, 0]
            var state = MonitorState()
            while cursors.enumerated().contains(where: { $0.element < streams[$0.offset].count }) {
                let index = Int(generator.next() % 3)
                guard cursors[index] < streams[index].count else { continue }
                let take = min(Int(generator.next() % 40) + 1, streams[index].count - cursors[index])
                state.apply(Array(streams[index][cursors[index]..<cursors[index] + take]))
                cursors[index] += take
            }
            for (id, (finalState, attempts)) in expected {
                let task = state.tasks[id]
                #expect(task?.state == finalState, "\(id)")
                #expect(task?.attempts.count == attempts, "\(id)")
                #expect(task?.attempts.dropLast().allSatisfy { $0.outcome == .retry } == true, "\(id)")
            }
            #expect(state.retryingIDs.isEmpty && state.activeIDs.isEmpty)
        }
    }

    @Test func eventsWithoutNameKeepTheName() {
        var worker = EventBuilder()
        var state = MonitorState()
        state.apply([worker.received("t", name: "app.named"), worker.started("t"), worker.retried("t")])
        #expect(state.tasks["t"]?.name == "app.named")
        #expect(state.ratesByName["app.named"]?.total(.retried, window: 60, endingAt: worker.time) == 1)
    }

    @Test func revokedBeforeReceivedAndRevokedInBackoff() {
        var worker = EventBuilder()
        var state = MonitorState()
        state.apply(worker.make(.taskRevoked, "never") { $0.terminated = false; $0.expired = true })
        #expect(state.tasks["never"]?.state == .revoked)
        #expect(state.stats.orphanEvents == 0)
        state.apply([worker.received("b"), worker.started("b"), worker.received("b", retries: 1, eta: worker.time + 10), worker.retried("b")])
        #expect(state.tasks["b"]?.state == .retry)
        state.apply(worker.make(.taskRevoked, "b", after: 10) { $0.terminated = false; $0.expired = false })
        #expect(state.tasks["b"]?.state == .revoked)
        #expect(state.tasks["b"]?.attempts.map(\.outcome) == [.retry, .revoked])
        #expect(state.retryingIDs.isEmpty)
    }

    @Test func workersGoOfflineWhenHeartbeatsStop() {
        var worker = EventBuilder()
        var state = MonitorState()
        state.apply(worker.heartbeat(active: 3, processed: 10))
        let beat = worker.time
        #expect(state.workers["w1@vm"]?.isOnline(at: beat + 3.9) == true)
        #expect(state.workers["w1@vm"]?.isOnline(at: beat + 4.1) == false)
        #expect(state.workers["w1@vm"]?.active == 3 && state.workers["w1@vm"]?.processed == 10)
        state.apply(worker.make(.workerOffline, nil) { $0.freq = 2 })
        #expect(state.workers["w1@vm"]?.isOnline(at: worker.time) == false)
        state.apply(worker.make(.workerOnline, nil, after: 5) { $0.freq = 2 })
        #expect(state.workers["w1@vm"]?.isOnline(at: worker.time) == true)
    }

    @Test func ratesCountByEventTimestampOverWindows() {
        var worker = EventBuilder()
        var state = MonitorState()
        for index in 0..<120 {
            state.apply([worker.received("t\(index)", name: "app.a"), worker.started("t\(index)"), worker.retried("t\(index)", after: 1)])
        }
        let now = worker.time
        let series = state.ratesByName["app.a"]
        #expect(series?.total(.received, window: 300, endingAt: now) == 120)
        let lastMinute = series?.total(.retried, window: 60, endingAt: now) ?? 0
        #expect((57...61).contains(lastMinute))
        #expect(series?.failureRatio(window: 300, endingAt: now) == 0)
        #expect(state.overallRates.total(.retried, window: 300, endingAt: now + 1_000) == 0)
        #expect(series?.history(.retried, buckets: 3, bucketSeconds: 60, endingAt: now).reduce(0, +) == 120)
    }

    @Test func boundsHoldUnderAFloodOfDistinctTaskIDs() {
        let limits = MonitorLimits(maxTasks: 1_000, maxAttemptsPerTask: 4, maxTracebackBytes: 50_000, maxExceptionGroups: 10)
        var state = MonitorState(limits: limits)
        var worker = EventBuilder()
        // 50 tasks wait in backoff; then a flood of failed tasks: failed and retrying tasks share their own
        // bound (half of maxTasks by default) and go oldest first, so the 50 retrying ones go first.
        for index in 0..<50 {
            state.apply([worker.received("keep-\(index)"), worker.started("keep-\(index)"), worker.received("keep-\(index)", retries: 1, eta: worker.time + 600), worker.retried("keep-\(index)")])
        }
        for index in 0..<20_000 {
            state.apply([worker.received("flood-\(index)"), worker.started("flood-\(index)"), worker.failed("flood-\(index)", "KeyError('k\(index)')")])
        }
        #expect(state.tasks.count == 500 && state.count(.failure) == 500)
        #expect((0..<50).allSatisfy { state.tasks["keep-\($0)"] == nil })
        #expect(state.retryingIDs.isEmpty)
        #expect(state.stats.evictedByState == [.retry: 50, .failure: 19_500])
        #expect(state.stats.evictedTasks == 20_050 - state.tasks.count)
        #expect(state.tracebacks.bytes <= 50_000)
        #expect(state.exceptionGroups.count == 2, "KeyError('k…') numbers are masked into one group, beside ConnectionError")
        #expect(state.evictionQueues.storedCount <= 2_048 + 3)
        #expect(TaskState.allCases.reduce(0) { $0 + state.count($1) } == state.tasks.count)
        // Attempts per task are bounded too.
        for attempt in 0..<10 { state.apply([worker.received("many", retries: attempt), worker.started("many"), worker.retried("many")]) }
        #expect(state.tasks["many"]?.attempts.count == 4)
        #expect(state.tasks["many"]?.attempts.first?.number == 1 && state.tasks["many"]?.attempts.last?.number == 10)
        #expect(state.tasks["many"]?.droppedAttempts == 6)
    }

    @Test func exceptionFingerprintsMaskIDsAndNumbers() {
        #expect(ExceptionFingerprint.of("ConnectionError('flaky attempt 0 x=42')") == ExceptionFingerprint.of("ConnectionError('flaky attempt 3 x=7')"))
        #expect(ExceptionFingerprint.of("KeyError('4accb638-7b8b-4307-868c-73dd4ab76a9c')") == ExceptionFingerprint.of("KeyError('e2883a12-993c-48e1-9ed7-2f5f2eab6b91')"))
        #expect(ExceptionFingerprint.of("ValueError('a')") != ExceptionFingerprint.of("TypeError('a')"))
        #expect(ExceptionFingerprint.typeName(of: "HTTPError('429 Too Many Requests')") == "HTTPError")
    }

    @Test func prefixLookupFindsUniqueTasks() {
        var worker = EventBuilder()
        var state = MonitorState()
        state.apply([worker.received("9f3c2a1e-77b0"), worker.received("9f3c2b00-0000")])
        #expect(state.task(matchingPrefix: "9f3c2a")?.id == "9f3c2a1e-77b0")
        #expect(state.task(matchingPrefix: "9f3c2") == nil)
        #expect(state.task(matchingPrefix: " 9f3c2b00-0000\n")?.id == "9f3c2b00-0000")
    }

    @Test func snapshotDocumentHasTheDocumentedSchema() throws {
        let (state, link) = try foldWithLink("p2")
        let text = SnapshotDocument.render(state, link: link, now: state.latestTimestamp)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for key in ["tasks", "workers", "rates", "connection", "stats", "counts"] { #expect(object[key] != nil, "\(key)") }
        let stats = try #require(object["stats"] as? [String: Any])
        #expect(stats["events"] as? Int == link.decodeStats.events && stats["malformed"] as? Int == 0 && stats["unknown"] as? Int == 0)
        let tasks = try #require(object["tasks"] as? [[String: Any]])
        let flaky = try #require(tasks.first { ($0["id"] as? String)?.hasPrefix("68661b92") == true })
        for key in ["id", "name", "state", "retries", "worker", "args", "kwargs", "attempts"] { #expect(flaky.keys.contains(key), "\(key)") }
        let attempts = try #require(flaky["attempts"] as? [[String: Any]])
        #expect(attempts.count == 4)
        for key in ["number", "worker", "received", "started", "ended", "outcome", "exception", "retry_at"] { #expect(attempts[0].keys.contains(key), "\(key)") }
        #expect(attempts[3]["outcome"] as? String == "FAILURE")
        let workers = try #require(object["workers"] as? [[String: Any]])
        #expect(workers.first?["hostname"] as? String == "w1@vm")
        for key in ["hostname", "online", "active", "processed", "last_heartbeat"] { #expect(workers.first?.keys.contains(key) == true, "\(key)") }
        #expect(SnapshotDocument.render(state, link: link, now: state.latestTimestamp) == text)
    }
}

/// A tiny deterministic generator for shuffles in tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
