import Foundation
import Testing
@testable import Monitor

@Suite struct RecentFailuresTests {
    private static func keys(_ range: ClosedRange<Int>) -> [TaskKey] { range.map { TaskKey("t\($0)") } }

    /// Past the bound, the oldest go first and the rest stay oldest first, however far the ring has turned.
    @Test func keepsTheNewestInArrivalOrder() {
        var failures = RecentFailures(bound: 4)
        for key in Self.keys(1...3) { failures.append(key) }
        #expect(Array(failures) == Self.keys(1...3))
        for (count, key) in Self.keys(4...11).enumerated() {
            failures.append(key)
            #expect(failures.count == min(4, 4 + count))
            #expect(Array(failures) == Self.keys(max(1, 5 + count - 4)...(4 + count)))
        }
        #expect(failures.first == TaskKey("t8") && failures.last == TaskKey("t11") && failures[2] == TaskKey("t10"))
        #expect(failures.contains(TaskKey("t8")) && !failures.contains(TaskKey("t7")))
    }

    /// A task that fails again moves to the end, listed once; the order of the others is kept, and the
    /// bound still drops the oldest afterwards.
    @Test func aRepeatedFailureMovesToTheEnd() {
        var failures = RecentFailures(bound: 4)
        for key in Self.keys(1...6) { failures.append(key) }  // the ring has turned: t3 t4 t5 t6
        failures.append(TaskKey("t4"))
        #expect(Array(failures) == ["t3", "t5", "t6", "t4"].map(TaskKey.init))
        failures.append(TaskKey("t4"))
        #expect(Array(failures) == ["t3", "t5", "t6", "t4"].map(TaskKey.init))
        failures.append(TaskKey("t7"))
        failures.append(TaskKey("t8"))
        #expect(Array(failures) == ["t6", "t4", "t7", "t8"].map(TaskKey.init))
        #expect(!failures.contains(TaskKey("t3")) && !failures.contains(TaskKey("t5")))
    }

    @Test func aZeroBoundListsNothing() {
        var failures = RecentFailures(bound: 0)
        failures.append(TaskKey("t1"))
        #expect(failures.isEmpty && !failures.contains(TaskKey("t1")))
    }

    /// The model's list follows `maxRecentFailures` through the fold: the newest failures, in order.
    @Test func theModelKeepsItsBound() {
        var state = MonitorState(limits: MonitorLimits(maxRecentFailures: 3))
        let ids = (1...5).map { String(format: "%08x-0000-4000-8000-%012x", $0, $0) }
        state.mergeJournal(ids.enumerated().map { index, id in
            JournaledTask(
                id: id, state: .failure, firstSeen: Double(index), lastUpdate: Double(index),
                attempts: [JournaledAttempt(number: 1, ended: Double(index), outcome: .failure)])
        })
        #expect(state.recentFailures.map(\.string) == Array(ids.suffix(3)))
    }
}
