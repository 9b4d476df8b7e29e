import Foundation
import Testing
@testable import Monitor
import TestSupport

/// The backfill merge rules (issue 12): events win, never backwards, no invented attempts, sources per task.
@Suite struct BackfillMergeTests {
    static let id = "8426fe4a-c52e-4484-9113-d85f5f7c3d9c"
    static let readAt = 1_796_209_086.969

    /// A held retry as `unacked` shows it: attempt `retries + 1` waiting for `eta`.
    func held(_ retries: Int, eta: Double, readAt: Double = readAt) -> BackfilledTask {
        BackfilledTask(
            id: Self.id, source: .unacked, name: "app.backoff", retries: retries, eta: eta, args: "[7]", kwargs: "{}",
            queue: "celery", priority: 0, readAt: readAt)
    }

    func stored(_ state: TaskState, retries: Int?, dateDone: Double?, readAt: Double = readAt + 0.5) -> BackfilledTask {
        BackfilledTask(
            id: Self.id, source: .resultBackend, name: retries == nil ? nil : "app.backoff", retries: retries,
            state: state, exception: state == .success ? nil : "ConnectionError('backoff attempt 0 x=7')",
            traceback: "Traceback (most recent call last):\nConnectionError: backoff attempt 0 x=7\n",
            dateDone: dateDone, worker: retries == nil ? nil : "w1@vm", readAt: readAt)
    }

    func merged(_ items: [BackfilledTask], limits: MonitorLimits = MonitorLimits()) -> MonitorState {
        var state = MonitorState(limits: limits)
        for item in items { state.mergeBackfill([item]) }
        return state
    }

    @Test func heldRetryWaitsForItsETAWithoutInventedAttempts() throws {
        let eta = Self.readAt + 45
        let state = merged([held(2, eta: eta)])
        let task = try #require(state.tasks[Self.id])
        #expect(task.state == .retry)
        #expect(task.attempts.map(\.number) == [3])
        #expect(task.attempts[0].beginningUnseen)
        #expect(task.attempts[0].received == nil && task.attempts[0].started == nil)
        #expect(task.nextAttemptAt == eta)
        #expect(task.attemptsBeforeWatching == 2)
        #expect(task.retries == 2)
        #expect(task.sources.list == [.unacked])
        #expect(task.args == "[7]")
        #expect(state.retryingIDs.contains(TaskKey(Self.id)))
        #expect(state.count(.retry) == 1)
    }

    @Test func resultRecordAndHeldRetryGiveTheSameTaskInEitherOrder() throws {
        let eta = Self.readAt + 40
        let items = [stored(.retry, retries: 1, dateDone: nil), held(2, eta: eta)]
        let forward = try #require(merged(items).tasks[Self.id])
        let backward = try #require(merged(items.reversed()).tasks[Self.id])
        #expect(forward.state == .retry)
        #expect(forward.attempts.map(\.number) == [2, 3])
        #expect(forward.attempts.map(\.outcome) == [.retry, nil])
        #expect(forward.attempts[0].exception == "ConnectionError('backoff attempt 0 x=7')")
        #expect(forward.attempts[0].retryAt == eta)
        #expect(forward.nextAttemptAt == eta)
        #expect(forward.sources.list == [.unacked, .resultBackend])
        #expect(forward.attempts == backward.attempts)
        #expect(forward.state == backward.state)
        #expect(forward.contradictedBackendState == nil)
    }

    @Test func eventsWinOverTheResultBackend() throws {
        var events = EventBuilder()
        var state = MonitorState()
        state.apply([events.received(Self.id, name: "app.backoff", retries: 1), events.started(Self.id)])
        state.mergeBackfill([stored(.failure, retries: 1, dateDone: Self.readAt)])
        let task = try #require(state.tasks[Self.id])
        #expect(task.state == .started)
        #expect(task.attempts.map(\.number) == [2])
        #expect(task.attempts[0].exception == nil)
        #expect(task.backfill?.backendState == .failure)
        #expect(task.contradictedBackendState == .failure)
        #expect(task.sources.list == [.events, .resultBackend])
    }

    @Test func aTaskWhoseEventsArriveDuringBackfillEndsInItsEventState() throws {
        let eta = Self.readAt + 30
        var events = EventBuilder(time: Self.readAt + 1)
        let live = [
            events.received(Self.id, name: "app.backoff", retries: 2, eta: eta),
            events.started(Self.id, after: 30), events.succeeded(Self.id),
        ]
        let backfilled = [held(2, eta: eta), stored(.retry, retries: 1, dateDone: nil)]
        // Backfill merged first, then the events; and the events first, then the backfill.
        var before = MonitorState()
        before.mergeBackfill(backfilled)
        before.apply(live)
        var after = MonitorState()
        after.apply(live)
        after.mergeBackfill(backfilled)
        var split = MonitorState()
        split.mergeBackfill([backfilled[0]])
        split.apply(Array(live.prefix(2)))
        split.mergeBackfill([backfilled[1]])
        split.apply(Array(live.suffix(1)))
        for state in [before, after, split] {
            let task = try #require(state.tasks[Self.id])
            #expect(task.state == .success)
            #expect(task.attempts.last?.number == 3)
            #expect(task.attempts.last?.outcome == .success)
            #expect(task.attempts.last?.beginningUnseen == false)
            #expect(!task.attempts.contains { $0.number < 2 })
            #expect(task.sources.contains(.events) && task.sources.contains(.unacked))
            #expect(state.count(.success) == 1 && state.count(.retry) == 0)
        }
    }

    @Test func aRevokeWrittenByAnIdleWorkerIsNotTrustedOverAHeldMessage() throws {
        let eta = Self.readAt + 60
        // The revoke command's REVOKED has no extended fields and was written before unacked was read.
        let revoked = BackfilledTask(
            id: Self.id, source: .resultBackend, state: .revoked, exception: "TaskRevokedError('revoked')",
            dateDone: Self.readAt - 5, readAt: Self.readAt + 0.2)
        for items in [[held(1, eta: eta), revoked], [revoked, held(1, eta: eta)]] {
            let task = try #require(merged(items).tasks[Self.id])
            #expect(task.state == .retry)
            #expect(task.attempts.map(\.number) == [2])
            #expect(task.nextAttemptAt == eta)
            #expect(task.contradictedBackendState == .revoked)
        }
    }

    @Test func aResultWrittenAfterTheHeldMessageWasReadMovesTheTaskForward() throws {
        let failed = stored(.failure, retries: 2, dateDone: Self.readAt + 3, readAt: Self.readAt + 4)
        for items in [[held(2, eta: Self.readAt + 2), failed], [failed, held(2, eta: Self.readAt + 2)]] {
            let task = try #require(merged(items).tasks[Self.id])
            #expect(task.state == .failure)
            #expect(task.attempts.map(\.number) == [3])
            #expect(task.attempts[0].outcome == .failure)
            #expect(task.attempts[0].ended == Self.readAt + 3)
        }
    }

    @Test func aRecordWithoutRetriesWrittenAfterTheReadIsTrustedOneWrittenBeforeIsNot() throws {
        let success = { (dateDone: Double) in
            BackfilledTask(id: Self.id, source: .resultBackend, state: .success, dateDone: dateDone, readAt: Self.readAt + 5)
        }
        let after = try #require(merged([held(0, eta: Self.readAt + 1), success(Self.readAt + 2)]).tasks[Self.id])
        #expect(after.state == .success && after.attempts.map(\.number) == [1])
        #expect(after.contradictedBackendState == nil)
        let before = try #require(merged([success(Self.readAt - 2), held(0, eta: Self.readAt + 1)]).tasks[Self.id])
        #expect(before.state == .received)
        #expect(before.contradictedBackendState == .success)
    }

    @Test func backfillNeverMovesATaskBackwards() throws {
        var state = merged([held(3, eta: Self.readAt + 10)])
        // An older copy of the message (a source read earlier) cannot take the task back to attempt 2.
        state.mergeBackfill([held(1, eta: Self.readAt - 100)])
        let task = try #require(state.tasks[Self.id])
        #expect(task.attempts.map(\.number) == [4])
        #expect(task.nextAttemptAt == Self.readAt + 10)
        #expect(task.retries == 3)
    }

    @Test func aFailureWithoutResultExtendedHasNoNameAndNoInventedRetries() throws {
        let state = merged([stored(.failure, retries: nil, dateDone: Self.readAt - 60)])
        let task = try #require(state.tasks[Self.id])
        #expect(task.name == nil)
        #expect(task.state == .failure)
        #expect(task.retries == 0)
        #expect(task.attempts.count == 1)
        #expect(task.attempts[0].beginningUnseen)
        #expect(task.attempts[0].exception == "ConnectionError('backoff attempt 0 x=7')")
        #expect(state.traceback(taskID: Self.id, attempt: 1)?.contains("ConnectionError") == true)
        #expect(Array(state.recentFailures) == [TaskKey(Self.id)])
    }

    @Test func backfilledTasksFeedNoRatesAndNoExceptionGroups() {
        let failures = (0..<50).map { index in
            BackfilledTask(
                id: "f-\(index)", source: .resultBackend, name: "app.flaky", retries: 3, state: .failure,
                exception: "ValueError('x')", dateDone: Self.readAt - Double(index), readAt: Self.readAt)
        }
        let state = merged(failures + [held(2, eta: Self.readAt + 60)])
        #expect(state.tasks.count == 51)
        #expect(state.overallRates.total(.failed, window: 300, endingAt: Self.readAt) == 0)
        #expect(state.overallRates.total(.retried, window: 300, endingAt: Self.readAt) == 0)
        #expect(state.ratesByName.isEmpty)
        #expect(state.exceptionGroups.isEmpty)
        #expect(state.stats.events == 0)
    }

    @Test func backfillIsBoundedByTheTaskLimit() {
        var state = MonitorState(limits: MonitorLimits(maxTasks: 100))
        state.mergeBackfill((0..<300).map {
            BackfilledTask(id: "t-\($0)", source: .resultBackend, state: .failure, dateDone: Double($0), readAt: 1_000)
        })
        // Failed tasks have their own bound (eviction by value), within the task bound.
        let kept = state.limits.maxFailedOrRetryingTasks
        #expect(kept > 0 && kept <= 100)
        #expect(state.tasks.count == kept)
        #expect(state.stats.evictedTasks == 300 - kept)
        #expect(state.count(.failure) == kept)
        // The newest failures are kept (oldest first out).
        #expect(state.tasks["t-299"] != nil && state.tasks["t-0"] == nil)
    }

    @Test func anAttemptWhoseBeginningWasNotSeenIsMarked() throws {
        var events = EventBuilder()
        var state = MonitorState()
        state.apply([events.started("mid"), events.retried("mid")])
        let task = try #require(state.tasks["mid"])
        #expect(task.attempts.count == 1)
        #expect(task.attempts[0].beginningUnseen)
        #expect(task.attempts[0].received == nil)
        state.apply([events.received("seen")])
        #expect(state.tasks["seen"]?.attempts.first?.beginningUnseen == false)
    }
}
