import Actions
import Monitor
import RedisLink
@testable import CeleryLink
import Testing

/// Hostile and broken `inspect` replies: every value is range-checked once, a bad one is dropped and
/// counted in `rejected`, lists are bounded, and nothing traps.
@Suite struct WorkerInspectionRepliesTests {
    static func fold(stats: String?, active: String?, reserved: String?, queues: String?) throws -> WorkerInspection {
        var inspection = WorkerInspection(hostname: "celery@hostile")
        inspection.fold(
            stats: try stats.map(JSONValue.parse), active: try active.map(JSONValue.parse),
            reserved: try reserved.map(JSONValue.parse), queues: try queues.map(JSONValue.parse))
        return inspection
    }

    @Test func outOfRangeNumbersAreDroppedAndCounted() throws {
        let stats = """
            {"pool": {"implementation": "celery.concurrency.prefork:TaskPool", "max-concurrency": 1e12,
                      "processes": [12, -4, 1e300, "7", 31]},
             "prefetch_count": -1, "uptime": 1e300}
            """
        let inspection = try Self.fold(stats: stats, active: "[]", reserved: "[]", queues: "[]")
        #expect(inspection.pool == "prefork")
        #expect(inspection.concurrency == nil)
        #expect(inspection.processes == [12, 31])
        #expect(inspection.prefetchCount == nil)
        #expect(inspection.uptime == nil)
        // max-concurrency, -4, 1e300, "7", prefetch_count, uptime.
        #expect(inspection.rejected == 6)
        #expect(inspection.missing.isEmpty)
    }

    @Test func taskEntriesWithoutIdOrNameOrWithImpossibleTimesAreCounted() throws {
        let active = """
            [{"id": "a1", "name": "demo.add", "time_start": 1796209000.5, "worker_pid": 4242},
             {"name": "demo.add"},
             {"id": 17, "name": "demo.add"},
             {"id": "a2", "name": "demo.add", "time_start": 5, "worker_pid": 0},
             {"id": "a3", "name": "demo.add", "time_start": 1e300, "worker_pid": 99999999999}]
            """
        let inspection = try Self.fold(stats: nil, active: active, reserved: #"{"not": "a list"}"#, queues: #""celery""#)
        let tasks = try #require(inspection.active)
        #expect(tasks.map(\.id) == ["a1", "a2", "a3"])
        #expect(tasks[0].started == 1_796_209_000.5 && tasks[0].workerPID == 4242)
        // 1970 and 1e300 are outside the wire's time window, like any event timestamp.
        #expect(tasks[1].started == nil && tasks[1].workerPID == nil)
        #expect(tasks[2].started == nil && tasks[2].workerPID == nil)
        #expect(inspection.activeTotal == 5)
        #expect(inspection.reserved == [] && inspection.reservedTotal == 0)
        #expect(inspection.queues == [])
        #expect(inspection.missing == ["stats"])
        // Two entries without id, two bad times, two bad pids, reserved not a list, queues not a list.
        #expect(inspection.rejected == 8)
    }

    @Test func longListsAreBoundedAndTheirTotalsKept() throws {
        let many = (0..<(WorkerInspection.maxTasks + 50)).map { #"{"id": "t\#($0)", "name": "demo.add"}"# }
        let queues = (0..<(WorkerInspection.maxQueues + 10)).map { #"{"name": "q\#($0)"}"# }
        let inspection = try Self.fold(
            stats: "{}", active: "[" + many.joined(separator: ",") + "]", reserved: nil,
            queues: "[" + queues.joined(separator: ",") + "]")
        #expect(inspection.active?.count == WorkerInspection.maxTasks)
        #expect(inspection.activeTotal == WorkerInspection.maxTasks + 50)
        #expect(inspection.queues?.count == WorkerInspection.maxQueues)
        #expect(inspection.missing == ["reserved"])
        #expect(inspection.rejected == 0)
    }
}
