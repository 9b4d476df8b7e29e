import Testing
import Monitor
@testable import Firehose

/// Guards the long-storm memory benchmark's own bookkeeping (not the machine's RSS, which is the figure
/// it reports): it samples through the whole storm, the task bound holds at every sample, evictions are
/// counted, and the growth it reports is measured from the first sample at the bound.
@Suite struct LongStormBenchmarkTests {
    @Test func samplesTheWholeStormThroughTheBound() throws {
        let storm = StormGenerator.generate(StormConfiguration(events: 20_000, tasks: 2_500, workers: 4, seed: 5))
        let result = LongStormBenchmark.run(storm: storm, limits: MonitorLimits(maxTasks: 500), samples: 8)
        #expect(result.samples.count >= 8)
        #expect(result.samples.last?.events == storm.eventCount)
        #expect(result.samples.allSatisfy { $0.tasks <= 500 })
        #expect(result.samples.map(\.events) == result.samples.map(\.events).sorted())
        // Every task was kept or evicted at least once (a task evicted while still running comes back with
        // its next event, and can be evicted again, so evictions may exceed the distinct tasks).
        let last = try #require(result.samples.last)
        #expect(last.evictedTasks + last.tasks >= storm.truth.tasks.count)
        #expect(last.evictedTasks > 0)
        let first = try #require(result.firstAtBound)
        #expect(first.tasks == 500)
        let peakAfter = result.samples.filter { $0.events >= first.events }.map(\.rssBytes).max() ?? 0
        #expect(result.growthAfterBound == Double(peakAfter - first.rssBytes) / Double(first.rssBytes))
    }
}
