@testable import Dashboard
import Monitor
import TestSupport
import Testing

/// The Workers pane's LATE column counts from the retrying index's `held` map (kept per batch), not
/// from a scan of every retrying task each frame; both must say the same.
@Suite("HeldAttemptIndex")
struct HeldAttemptIndexTests {
    /// The scan the pane did before: every retrying task looked up in the model.
    static func scan(_ monitor: MonitorState, now: Double) -> [String: (count: Int, latest: Double)] {
        var late: [String: (count: Int, latest: Double)] = [:]
        for key in monitor.retryingIDs {
            guard let task = monitor.tasks[key], let due = task.nextAttemptAt, due < now - 1,
                  let attempt = task.attempts.last, attempt.received != nil, let worker = attempt.worker else { continue }
            let entry = late[worker] ?? (0, 0)
            late[worker] = (entry.count + 1, max(entry.latest, now - due))
        }
        return late
    }

    static func same(_ a: [String: (count: Int, latest: Double)], _ b: [String: (count: Int, latest: Double)]) -> Bool {
        a.count == b.count && a.allSatisfy { worker, entry in b[worker].map { $0.count == entry.count && $0.latest == entry.latest } ?? false }
    }

    @Test func theIndexKeptBatchByBatchMatchesTheScanAtEveryStep() {
        // The storm folded in batches of 37 through `update`, with a task bound that evicts on the way.
        var state = AppState(monitor: MonitorState(limits: MonitorLimits(maxTasks: 60)), width: 120, height: 36, now: StormFixture.start)
        let events = StormFixture.events()
        var checked = (steps: 0, late: 0)
        for start in stride(from: 0, to: events.count, by: 37) {
            _ = update(&state, .events(Array(events[start..<min(events.count, start + 37)])))
            let latest = state.monitor.latestTimestamp
            #expect(state.retryingIndex.held == TaskTimeIndex(.retrying, state.monitor).held, "after event \(start)")
            for now in [latest, latest + 5, latest + 60] {
                let late = WorkersPane.lateAttempts(state.retryingIndex.held, now: now)
                #expect(Self.same(late, Self.scan(state.monitor, now: now)), "after event \(start), now + \(now - latest)")
                checked.late += late.count
            }
            checked.steps += 1
        }
        #expect(state.monitor.stats.evictedTasks > 0, "the bound never evicted: the test would not cover eviction")
        #expect(checked.late > 0, "no step had a late attempt: the comparison proved nothing")
    }

    @Test func theFixtureStateMatchesTheScanWhileFrozenToo() {
        var state = StormFixture.appState()
        _ = update(&state, .key(.char("Z")))
        #expect(state.isFrozen)
        let now = StormFixture.now + 8
        _ = update(&state, .tick(now: now))
        let late = WorkersPane.lateAttempts(state.viewedRetryingIndex.held, now: now)
        #expect(!late.isEmpty)
        #expect(Self.same(late, Self.scan(state.viewed, now: now)))
        // The pane shows them: "N late" in its summary or its LATE column.
        let inputs = state.paneInputs(for: .workers)
        #expect(inputs.heldAttempts == state.viewedRetryingIndex.held)
    }
}
