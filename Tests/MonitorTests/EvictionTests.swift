import Testing
@testable import Monitor
import TestSupport

/// Eviction by value: past the task bound, what people come to act on (failed and retrying tasks) stays.
@Suite struct EvictionTests {
    /// 50 failed and 50 retrying tasks, as a storm leaves them.
    static func troubled(_ state: inout MonitorState, _ worker: inout EventBuilder) {
        for index in 0..<50 {
            state.apply([worker.received("failed-\(index)"), worker.started("failed-\(index)"), worker.failed("failed-\(index)")])
            state.apply([
                worker.received("retrying-\(index)"), worker.started("retrying-\(index)"), worker.retried("retrying-\(index)"),
                worker.received("retrying-\(index)", retries: 1, eta: worker.time + 600),
            ])
        }
    }

    static func sent(_ id: String, _ worker: inout EventBuilder) -> CeleryEvent {
        worker.make(.taskSent, id) {
            $0.name = "app.bulk"
            $0.queue = "celery"
        }
    }

    @Test func aFloodOfSentTasksEvictsPendingOnesAndKeepsFailedAndRetrying() {
        var state = MonitorState(limits: MonitorLimits(maxTasks: 1_000))
        var worker = EventBuilder()
        Self.troubled(&state, &worker)
        for index in 0..<1_200 { state.apply([Self.sent("sent-\(index)", &worker)]) }

        #expect(state.tasks.count == 1_000)
        #expect((0..<50).allSatisfy { state.tasks["failed-\($0)"]?.state == .failure })
        #expect((0..<50).allSatisfy { state.tasks["retrying-\($0)"]?.state == .retry })
        #expect(state.retryingIDs.count == 50)
        #expect(state.stats.evictedTasks == 300)
        // The oldest pending tasks went first.
        #expect(state.tasks["sent-299"] == nil && state.tasks["sent-300"] != nil && state.tasks["sent-1199"] != nil)
        #expect(state.count(.pending) == 900)
        #expect(state.stats.evictedByState == [.pending: 300])
    }

    @Test func aFloodOfSucceededTasksKeepsTheFailedOnes() {
        var state = MonitorState(limits: MonitorLimits(maxTasks: 1_000))
        var worker = EventBuilder()
        Self.troubled(&state, &worker)
        for index in 0..<1_500 {
            state.apply([worker.received("ok-\(index)"), worker.started("ok-\(index)"), worker.succeeded("ok-\(index)")])
        }

        #expect(state.tasks.count == 1_000)
        #expect((0..<50).allSatisfy { state.tasks["failed-\($0)"]?.state == .failure })
        #expect((0..<50).allSatisfy { state.tasks["retrying-\($0)"]?.state == .retry })
        #expect(state.stats.evictedTasks == 600)
        #expect(state.count(.success) == 900)
        #expect(TaskState.allCases.reduce(0) { $0 + state.count($1) } == state.tasks.count)
        #expect(state.stats.evictedByState == [.success: 600])
    }

    @Test func classesAreEvictedInOrderOfValue() {
        var state = MonitorState(limits: MonitorLimits(maxTasks: 10, maxFailedOrRetryingTasks: 10))
        var worker = EventBuilder()
        // Newest first within each group, so only the class, not the age, can explain the order.
        state.apply([worker.received("failed"), worker.started("failed"), worker.failed("failed")])
        state.apply([worker.received("running"), worker.started("running")])
        state.apply([worker.received("revoked"), worker.make(.taskRevoked, "revoked")])
        state.apply([worker.received("ok"), worker.started("ok"), worker.succeeded("ok")])
        state.apply([Self.sent("pending", &worker)])
        for index in 0..<5 { state.apply([Self.sent("filler-\(index)", &worker)]) }
        #expect(state.tasks.count == 10)

        var evictedOrder: [String] = []
        let watched = ["pending", "ok", "revoked", "running", "failed"]
        var index = 0
        while evictedOrder.count < watched.count, index < 100 {
            // New tasks that are themselves failed, so every eviction shows which class goes next.
            state.apply([worker.received("new-\(index)"), worker.failed("new-\(index)")])
            index += 1
            for id in watched where state.tasks[id] == nil && !evictedOrder.contains(id) { evictedOrder.append(id) }
        }
        // The fillers are pending too (newer than "pending"), so they go right after it.
        #expect(evictedOrder == watched)
        #expect(state.stats.evictedByState[.pending] == 6)
        #expect(state.stats.evictedByState[.success] == 1 && state.stats.evictedByState[.revoked] == 1)
        #expect(state.stats.evictedByState[.started] == 1 && state.stats.evictedByState[.failure] ?? 0 >= 1)
        #expect(state.tasks.count == 10)
    }

    @Test func failedAndRetryingTasksHaveTheirOwnBoundOldestFirst() {
        var state = MonitorState(limits: MonitorLimits(maxTasks: 1_000, maxFailedOrRetryingTasks: 100))
        var worker = EventBuilder()
        for index in 0..<150 {
            state.apply([worker.received("f-\(index)"), worker.started("f-\(index)"), worker.failed("f-\(index)")])
        }
        for index in 0..<20 { state.apply([worker.received("ok-\(index)"), worker.succeeded("ok-\(index)")]) }
        #expect(state.tasks.count == 120)
        #expect(state.count(.failure) == 100)
        #expect((0..<50).allSatisfy { state.tasks["f-\($0)"] == nil } && (50..<150).allSatisfy { state.tasks["f-\($0)"] != nil })
        #expect(state.stats.evictedByState == [.failure: 50])
        #expect(state.stats.evictedFailedOrRetrying == 50)
        #expect(state.count(.success) == 20, "successes are under the task bound: nothing else goes")
    }

    @Test func aTaskRetryingForeverKeepsTheQueuesBounded() {
        var state = MonitorState(limits: MonitorLimits(maxTasks: 100, maxAttemptsPerTask: 4))
        var worker = EventBuilder()
        for index in 0..<100 { state.apply([worker.received("t-\(index)"), worker.succeeded("t-\(index)")]) }
        // Every cycle moves the task between two classes; the queues must not grow with the cycles.
        for retries in 0..<5_000 {
            state.apply([worker.received("looping", retries: retries), worker.started("looping"), worker.retried("looping")])
        }
        #expect(state.evictionQueues.storedCount <= 2 * 1_024 + 3)
        #expect(state.tasks["looping"]?.state == .retry)
        #expect(state.tasks.count == 100)
        #expect(TaskState.allCases.reduce(0) { $0 + state.count($1) } == state.tasks.count)
        #expect(state.stats.evictedByState == [.success: 1])
    }

    @Test func aRequeuedCopyIsCountedAndBounded() {
        var state = MonitorState(limits: MonitorLimits(maxTasks: 5))
        var worker = EventBuilder()
        state.apply([worker.received("orig"), worker.failed("orig")])
        state.linkRequeue(original: "orig", copy: "copy", name: "app.flaky", at: worker.time)
        #expect(state.count(.pending) == 1)
        state.apply([worker.received("copy")])
        #expect(state.count(.pending) == 0 && state.count(.received) == 1)
        #expect(TaskState.allCases.reduce(0) { $0 + state.count($1) } == state.tasks.count)
    }

    @Test func theSnapshotShowsEvictionsByState() throws {
        var state = MonitorState(limits: MonitorLimits(maxTasks: 1_000))
        var worker = EventBuilder()
        Self.troubled(&state, &worker)
        for index in 0..<1_200 { state.apply([Self.sent("sent-\(index)", &worker)]) }
        let text = SnapshotDocument.render(state, link: LinkStatus(), now: state.latestTimestamp)
        #expect(text.contains("\"evicted_tasks\":300"))
        #expect(text.contains("\"evicted_by_state\":{\"PENDING\":300}"))
        #expect(text.contains("\"max_failed_or_retrying_tasks\":500"))
    }
}
