import Foundation
import Monitor
import Testing
import TestSupport

/// `retrytop events` prints every event it reads, a trickle as well as a flood: it takes from the ingest
/// pipeline the one way the dashboard and `snapshot` do (`IngestPipeline.take()`), so events that wait
/// for the owner to decode them are printed too. It once read the decoded-event inbox alone and printed
/// nothing at an everyday rate (`PreforkOrderCeleryTests` found it). Real redis-server, built binary.
@Suite struct EventsCommandTests {
    @Test(.timeLimit(.minutes(1))) func aTrickleIsPrintedWhileListeningAndAtTheEnd() async throws {
        try RequiredTool.require(.retrytop)
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let listening = Task {
            try await ProcessRunner.run(
                RepoPaths.retrytopBinary.path, ["events", "--for", "4"], environment: ["CELERY_BROKER_URL": redis.url],
                timeout: .seconds(30))
        }
        let publisher = try CeleryEventPublisher(url: redis.url)
        defer { publisher.close() }
        try publisher.waitForSubscriber()
        var worker = EventBuilder(worker: "w1@trickle", time: Date().timeIntervalSince1970 - 10)
        var published = 0
        // Ten tasks, one message each, 100 ms apart; the last ones just before the command stops.
        for index in 0..<10 {
            let events = [worker.received("trickle-\(index)"), worker.started("trickle-\(index)")]
            try publisher.publish(CeleryEventPublisher.workerMessages(events))
            published += events.count
            try await Task.sleep(for: .milliseconds(100))
        }
        let result = try await listening.value
        #expect(!result.timedOut && result.status == 0, "status \(result.status): \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == published, "\(lines.count) lines for \(published) events: \(result.stdout.prefix(300))")
        for index in 0..<10 {
            #expect(lines.filter { $0.contains("trickle-\(index)") }.count == 2, "trickle-\(index)")
        }
    }
}
