@testable import Actions
import Monitor
import TestSupport
import Testing

/// The revoke outcome tracker: counts from the fold against each task's state when the revoke went out.
@Suite("RevokeTally")
struct RevokeTallyTests {
    @Test func countsEachTargetByWhatBecameOfIt() {
        var builder = EventBuilder(worker: "w1@vm")
        var events: [CeleryEvent] = []
        let ids = ["a-waiting", "b-running", "c-running-then", "d-done", "e-failed", "f-still"]
        for id in ids { events.append(builder.received(id, name: "app.flaky")) }
        for id in ["b-running", "c-running-then"] { events.append(builder.started(id)) }
        for id in ["a-waiting", "f-still"] {
            events.append(builder.started(id))
            events.append(builder.retried(id))
            events.append(builder.received(id, name: "app.flaky", retries: 1, eta: builder.time + 60))
        }
        var state = MonitorState()
        state.apply(events)
        let before = RevokeTally.states(of: ids + ["g-unknown"], in: state)
        let tally = RevokeTally(ids: ids + ["g-unknown"], before: before, terminate: false)
        #expect(tally.counted(in: state).text == "7 targeted: 2 running (a plain revoke does not stop them; their retry will be discarded), 4 no answer yet, 1 no longer tracked")

        // What followed: a discarded retry, a running attempt that retried into a discarded message,
        // one that succeeded, one that failed.
        state.apply([
            builder.make(.taskRevoked, "a-waiting"),
            builder.retried("c-running-then"), builder.make(.taskRevoked, "c-running-then"),
            builder.started("d-done"), builder.succeeded("d-done"),
            builder.started("e-failed"), builder.failed("e-failed"),
        ])
        let counted = tally.counted(in: state)
        #expect(counted.revokedWaiting == 1)
        #expect(counted.revokedRunning == 1)
        #expect(counted.running == 1)
        #expect(counted.succeeded == 1)
        #expect(counted.failed == 1)
        #expect(counted.noAnswer == 1)
        #expect(counted.untracked == 1)
        #expect(!counted.isSettled)
        #expect(counted.text == "7 targeted: 1 revoked while waiting, 1 were running (their retry was discarded), "
            + "1 running (a plain revoke does not stop them; their retry will be discarded), 1 had already succeeded, "
            + "1 failed before the revoke arrived, 1 no answer yet, 1 no longer tracked")
    }

    @Test func rateArithmetic() {
        #expect(WorkerChange.isRate("10/m") && WorkerChange.isRate("0") && WorkerChange.isRate("2.5/s"))
        #expect(!WorkerChange.isRate("fast") && !WorkerChange.isRate("10/d") && !WorkerChange.isRate("-1/m") && !WorkerChange.isRate("inf"))
        #expect(WorkerChange.perMinute("10/m") == 10)
        #expect(WorkerChange.perMinute("2/s") == 120)
        #expect(WorkerChange.perMinute("120/h") == 2)
        #expect(WorkerChange.perMinute("0") == nil)
        #expect(WorkerChange.rateText("") == "none" && WorkerChange.rateText("0/m") == "none")
    }
}
