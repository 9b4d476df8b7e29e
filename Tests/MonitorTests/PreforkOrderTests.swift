import Foundation
import Testing
@testable import Monitor
import TestSupport

/// The real prefork orders of docs/celery-wire.md ("Ordering rules"): several attempts of one task open on
/// one worker at once, terminal events reported out of attempt order, and a revoke that discards a retry
/// message while the attempt that sent it still runs. Recordings: `p19_events.jsonl` (immediate retries, two
/// workers then one) and `p20_envelopes.jsonl` (plain revoke of a running task that then retries).
@Suite struct PreforkOrderTests {
    /// One decoded event with the sender it came from (the hostname: one worker's main process, or the
    /// `gen<pid>` of a producer or pool process publishing `task-sent`).
    struct Arrival {
        var event: CeleryEvent
        var arrival: Double
        var sender: String { event.hostname }
    }

    static func arrivals(bodies phase: String) throws -> [Arrival] {
        try arrivals(try WireFixture.eventBodies(phase), enveloped: false)
    }

    static func arrivals(envelopes phase: String) throws -> [Arrival] {
        try arrivals(try WireFixture.eventEnvelopes(phase), enveloped: true)
    }

    static func arrivals(_ messages: [WireFixture.Message], enveloped: Bool) throws -> [Arrival] {
        let decoder = EventDecoder()
        var stats = DecodeStats()
        return messages.flatMap { message in
            var events: [CeleryEvent] = []
            if enveloped {
                decoder.decode(envelope: message.payload, into: &events, stats: &stats)
            } else {
                decoder.decodeBody(json: message.payload, into: &events, stats: &stats)
            }
            return events.map { Arrival(event: $0, arrival: message.time) }
        }
    }

    /// A `retrytop events` recording (one event per line, in arrival order), such as `r9_events.jsonl`,
    /// recorded by `PreforkOrderCeleryTests` from real prefork workers.
    static func arrivals(recording name: String) throws -> [Arrival] {
        let decoder = EventDecoder()
        var stats = DecodeStats()
        let text = try String(contentsOf: WireFixture.url(name), encoding: .utf8)
        return text.split(separator: "\n").enumerated().flatMap { index, line in
            var events: [CeleryEvent] = []
            decoder.decodeBody(json: Array(line.utf8), into: &events, stats: &stats)
            return events.map { Arrival(event: $0, arrival: Double(index)) }
        }
    }

    static func fold(_ events: [CeleryEvent]) -> MonitorState {
        var state = MonitorState()
        state.apply(events)
        return state
    }

    static func taskIDs(_ run: String) throws -> [String] {
        let data = try Data(contentsOf: WireFixture.url("p19_task_ids.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String]])
        return try #require(object[run])
    }

    // MARK: The two orders of issue 9, one task each

    @Test func immediateRetryThatSucceedsBeforeItsPredecessorReportsEndsSucceeded() {
        // One worker, concurrency 2 (clocks as in the issue): attempt 5 starts; its retry message is received
        // and started as attempt 6, which succeeds; only then is attempt 5's task-retried emitted.
        var w1 = EventBuilder(worker: "w1@vm", clock: 2080)
        var state = MonitorState()
        state.apply([w1.received("t", retries: 3), w1.started("t"), w1.retried("t", "HTTPError('429 a4')")])
        state.apply([w1.received("t", retries: 4), w1.started("t")])
        state.apply([w1.received("t", retries: 5), w1.started("t"), w1.succeeded("t"), w1.retried("t", "HTTPError('429 a5')")])
        let task = state.tasks["t"]
        #expect(task?.state == .success)
        #expect(task?.attempts.map(\.number) == [4, 5, 6])
        #expect(task?.attempts.map(\.outcome) == [.retry, .retry, .success])
        #expect(task?.attempts.map(\.exception) == ["HTTPError('429 a4')", "HTTPError('429 a5')", nil])
        #expect(state.retryingIDs.isEmpty && state.activeIDs.isEmpty)
        #expect(state.count(.success) == 1 && state.count(.retry) == 0)
    }

    /// Attempt 1 runs on w2; the revoke arrives; it retries: `task-sent(retries=1)` from the pool process,
    /// then `task-revoked` (the retry message discarded on arrival, no `task-received`), then attempt 1's
    /// `task-retried`. Every order of the two senders (the pool process and the worker) folds the same.
    @Test func revokeDuringARunningAttemptThatRetriesEndsWithTheDiscardedMessage() {
        var producer = EventBuilder(worker: "gen1@vm")
        var child = EventBuilder(worker: "gen2@vm", time: producer.time + 3)
        var w2 = EventBuilder(worker: "w2@vm", clock: 654)
        let sent = producer.make(.taskSent, "t") { $0.retries = 0; $0.name = "app.slowretry" }
        let head = [w2.received("t", name: "app.slowretry"), w2.started("t")]
        let retrySent = child.make(.taskSent, "t") { $0.retries = 1; $0.name = "app.slowretry" }
        let revoked = w2.make(.taskRevoked, "t", after: 3) { $0.terminated = false; $0.expired = false }
        let retried = w2.retried("t", "ConnectionError('slowretry attempt 0')")
        let orders: [[CeleryEvent]] = [
            [sent] + head + [retrySent, revoked, retried],
            [sent] + head + [revoked, retrySent, retried],
            [sent] + head + [revoked, retried, retrySent],
            [retrySent, sent] + head + [revoked, retried],
        ]
        let folds = orders.map { Self.fold($0) }
        for state in folds {
            let task = state.tasks["t"]
            #expect(task?.state == .revoked)
            #expect(task?.attempts.map(\.number) == [1, 2])
            #expect(task?.attempts.map(\.outcome) == [.retry, .revoked])
            #expect(task?.attempts.first?.exception == "ConnectionError('slowretry attempt 0')")
            #expect(task?.attempts.last?.started == nil && task?.attempts.last?.received == nil)
            #expect(task?.attempts.last?.worker == "w2@vm")
            #expect(state.retryingIDs.isEmpty && state.activeIDs.isEmpty)
        }
        #expect(folds.dropFirst().allSatisfy { $0.tasks == folds[0].tasks })
        // Without task-sent events (Celery's default) the discarded message is still the second attempt.
        let quiet = Self.fold(head + [revoked, retried])
        #expect(quiet.tasks["t"]?.attempts.map(\.outcome) == [.retry, .revoked])
        #expect(quiet.tasks["t"]?.attempts.last?.started == nil)
    }

    @Test func terminateEndsTheRunningAttemptOnThatWorker() {
        var w1 = EventBuilder(worker: "w1@vm")
        var state = MonitorState()
        state.apply([w1.received("t"), w1.started("t"), w1.retried("t"), w1.received("t", retries: 1), w1.started("t")])
        state.apply(w1.make(.taskRevoked, "t") { $0.terminated = true; $0.signum = 15; $0.expired = false })
        let task = state.tasks["t"]
        #expect(task?.state == .revoked)
        #expect(task?.attempts.map(\.outcome) == [.retry, .revoked])
        #expect(task?.attempts.last?.started != nil)
        #expect(task?.revocation?.terminated == true)
    }

    @Test func aLateStartOrRetryNeverReopensAFinishedTask() {
        var w1 = EventBuilder(worker: "w1@vm")
        var state = MonitorState()
        state.apply([w1.received("t"), w1.started("t"), w1.succeeded("t")])
        state.apply([w1.retried("t"), w1.started("t")])
        #expect(state.tasks["t"]?.state == .success)
        #expect(state.tasks["t"]?.attempts.map(\.outcome) == [.success])
        #expect(state.stats.lateEvents == 2)
    }

    // MARK: The recordings

    @Test func recordedImmediateRetriesFoldToWhatTheWorkersDid() throws {
        let arrivals = try Self.arrivals(bodies: "p19")
        let state = Self.fold(arrivals.map(\.event))
        let ids = try Self.taskIDs("two_workers_w1_w2") + Self.taskIDs("one_worker_w1")
        #expect(ids.count == 60)
        for id in ids {
            let task = try #require(state.tasks[id], "\(id)")
            // app.quickretry(3): attempts 1-3 raise self.retry(countdown=0) with "quick attempt <retries>",
            // attempt 4 returns.
            #expect(task.state == .success, "\(id)")
            #expect(task.attempts.map(\.number) == [1, 2, 3, 4], "\(id)")
            #expect(task.attempts.map(\.outcome) == [.retry, .retry, .retry, .success], "\(id)")
            // Which of two attempts open at once on one worker a task-retried reports is not on the wire
            // (docs/celery-wire.md, rule 4): the texts are the attempts' own, their order may differ there.
            let raised = task.attempts.dropLast().compactMap(\.exception).sorted()
            #expect(raised == (0..<3).map { "ConnectionError('quick attempt \($0)')" }, "\(id)")
            #expect(task.attempts.last?.exception == nil, "\(id)")
            // Each attempt ran where its message was received.
            let receivers = arrivals.filter { $0.event.taskID == id && $0.event.kind == .taskReceived }
                .sorted { ($0.event.retries ?? 0) < ($1.event.retries ?? 0) }.map(\.event.hostname)
            #expect(task.attempts.map(\.worker) == receivers, "\(id)")
            #expect(task.attempts.allSatisfy { $0.started != nil && $0.ended != nil }, "\(id)")
        }
        #expect(state.retryingIDs.isEmpty && state.activeIDs.isEmpty)
    }

    /// `r9_*`: two prefork workers (`-c 2`), 30 `demo.immediate_retry(3)` and one `demo.slow_immediate_retry`
    /// revoked while it slept; `r9_attempts.jsonl` is what the tasks wrote at each attempt's start and end.
    @Test func recordedPreforkRunFoldsToWhatTheTasksWrote() throws {
        let state = Self.fold(try Self.arrivals(recording: "r9_events.jsonl").map(\.event))
        let text = try String(contentsOf: WireFixture.url("r9_attempts.jsonl"), encoding: .utf8)
        let records = try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let ids = Set(records.compactMap { $0["id"] as? String })
        #expect(ids.count == 31)
        for id in ids {
            let task = try #require(state.tasks[id])
            let mine = records.filter { $0["id"] as? String == id }
            let starts = mine.filter { $0["phase"] as? String == "start" }.sorted { ($0["retries"] as? Int ?? 0) < ($1["retries"] as? Int ?? 0) }
            let ends = mine.filter { $0["phase"] as? String != "start" }.sorted { ($0["retries"] as? Int ?? 0) < ($1["retries"] as? Int ?? 0) }
            let outcomes: [TaskState] = ends.map { $0["phase"] as? String == "success" ? .success : .retry }
            #expect(task.attempts.prefix(starts.count).map(\.worker) == starts.map { $0["hostname"] as? String }, "\(id)")
            if outcomes.last == .success {
                #expect(task.state == .success && task.attempts.map(\.outcome) == outcomes, "\(id)")
            } else {
                // The revoked one: its one attempt retried, and the retry message was discarded unstarted.
                #expect(task.state == .revoked && task.attempts.map(\.outcome) == outcomes + [.revoked], "\(id)")
                #expect(task.attempts.last?.started == nil, "\(id)")
            }
        }
    }

    @Test func recordedRevokeThenRetryEndsRevokedWithTheDiscardedMessage() throws {
        let state = Self.fold(try Self.arrivals(envelopes: "p20").map(\.event))
        let data = try Data(contentsOf: WireFixture.url("p20_trials.json"))
        let trials = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(trials.count == 3)
        for trial in trials {
            let id = try #require(trial["id"] as? String)
            let task = try #require(state.tasks[id])
            #expect(task.state == .revoked)
            #expect(task.attempts.map(\.outcome) == [.retry, .revoked])
            #expect(task.attempts[0].started != nil && task.attempts[0].exception == "ConnectionError('slowretry attempt 0')")
            #expect(task.attempts[1].started == nil && task.attempts[1].received == nil)
            #expect(task.attempts.allSatisfy { $0.worker == "w2@vm" })
        }
        // The snapshot shows the discarded message as the last attempt: REVOKED, never started.
        let document = SnapshotDocument.render(state, link: LinkStatus(), now: state.latestTimestamp)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        let tasks = try #require(object["tasks"] as? [[String: Any]])
        let id = try #require(trials.first?["id"] as? String)
        let task = try #require(tasks.first { $0["id"] as? String == id })
        let last = try #require((task["attempts"] as? [[String: Any]])?.last)
        #expect(last["outcome"] as? String == "REVOKED")
        #expect(last["started"] is NSNull)
    }

    // MARK: Skews, measured, then required

    /// What the recordings show about arrival order: each sender's own events arrive in its clock order (one
    /// connection, one publishing process), while events of different senders interleave freely, by as much
    /// as a whole attempt (a later attempt's `task-succeeded` before an earlier attempt's `task-retried`).
    @Test func recordingsKeepEachSendersOrderAndInterleaveSendersAcrossAttempts() throws {
        let arrivals = try Self.arrivals(bodies: "p19") + Self.arrivals(envelopes: "p20")
        var lastClock: [String: Int] = [:]
        var sameSenderInversions = 0
        for arrival in arrivals where arrival.event.kind.isTaskEvent && !arrival.sender.hasPrefix("gen") {
            if let last = lastClock[arrival.sender], arrival.event.clock <= last { sameSenderInversions += 1 }
            lastClock[arrival.sender] = arrival.event.clock
        }
        #expect(sameSenderInversions == 0)
        // A task-retried after the task-succeeded of a later attempt: 15 with two workers, 8 with one
        // (docs/celery-wire.md, "Ordering rules").
        var succeeded: Set<String> = []
        var retriedAfterSuccess = 0
        for arrival in arrivals {
            guard let id = arrival.event.taskID else { continue }
            if arrival.event.kind == .taskSucceeded { succeeded.insert(id) }
            if arrival.event.kind == .taskRetried, succeeded.contains(id) { retriedAfterSuccess += 1 }
        }
        #expect(retriedAfterSuccess == 23)
    }

    /// Any interleaving of the senders' streams that keeps each sender's own order (what the recordings
    /// show can happen, and more) folds to the same tasks as the recorded order.
    @Test func everyInterleavingOfTheSendersFoldsTheSame() throws {
        var generator = FixtureRandom(seed: 19)
        let recordings = [
            try Self.arrivals(bodies: "p19"), try Self.arrivals(envelopes: "p20"), try Self.arrivals(recording: "r9_events.jsonl"),
        ]
        for arrivals in recordings {
            let recorded = Self.fold(arrivals.map(\.event))
            var streams: [String: [CeleryEvent]] = [:]
            var senders: [String] = []
            for arrival in arrivals {
                if streams[arrival.sender] == nil { senders.append(arrival.sender) }
                streams[arrival.sender, default: []].append(arrival.event)
            }
            for _ in 0..<12 {
                var cursors = [String: Int]()
                var order: [CeleryEvent] = []
                var remaining = senders
                while !remaining.isEmpty {
                    let pick = Int(generator.next() % UInt64(remaining.count))
                    let sender = remaining[pick]
                    let stream = streams[sender] ?? []
                    let start = cursors[sender, default: 0]
                    let take = min(Int(generator.next() % 6) + 1, stream.count - start)
                    order.append(contentsOf: stream[start..<start + take])
                    cursors[sender] = start + take
                    if start + take == stream.count { remaining.remove(at: pick) }
                }
                let shuffled = Self.fold(order)
                #expect(shuffled.tasks.count == recorded.tasks.count)
                for (key, task) in recorded.tasks {
                    let other = shuffled.tasks[key]
                    #expect(other?.state == task.state, "\(task.id)")
                    #expect(other?.attempts == task.attempts, "\(task.id)")
                    #expect(other?.revocation == task.revocation, "\(task.id)")
                }
                #expect(shuffled.retryingIDs == recorded.retryingIDs && shuffled.activeIDs == recorded.activeIDs)
            }
        }
    }
}
