import Actions
import CeleryLink
import Foundation
import Launch
import Monitor
import RedisLink
import TestSupport
import Testing

/// `PacedRequeue` against a real redis-server (no worker): pace, pause without a burst, abort, and
/// exactly-once sends into the right priority lists.
@Suite(.serialized) struct ActionsPacingTests {
    static func plans(_ count: Int, priority: Int? = nil) -> RequeuePreview {
        RequeuePreview(plans: (0..<count).map {
            RequeuePlan(originalID: "orig-\($0)", name: "demo.add", args: "[\($0), 1]", kwargs: "{}", source: .resultBackend, queue: "celery", priority: priority)
        } + [RequeuePlan(originalID: "orig-0", name: "demo.add", args: "[0, 1]", kwargs: "{}", source: .resultBackend, queue: "celery", priority: priority)],
        refusals: [RequeueRefusal(id: "nope", reason: "no exact arguments found")])
    }

    @Test(.timeLimit(.minutes(1))) func pauseHoldsResumeDoesNotBurstAbortStops() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let client = ControlClient(url: try BrokerURL(parsing: redis.url))
        let run = PacedRequeue(preview: Self.plans(60), pace: RequeuePace(rate: 20, jitter: 0), broker: client, origin: "test@host")
        #expect(run.progress.total == 61 && run.progress.refused == 1)
        // Expectations follow the time that really passed, so a loaded machine does not fail the test.
        let clock = ContinuousClock()
        let started = clock.now
        run.start()
        try await Task.sleep(for: .milliseconds(520))
        run.pause()
        let pausedAfter = (clock.now - started) / .seconds(1)
        try await Task.sleep(for: .milliseconds(100))
        let paused = run.progress
        #expect(paused.paused && !paused.finished)
        let expectedBeforePause = Int(pausedAfter * 20)
        #expect(abs(paused.sent - expectedBeforePause) <= 3, "sent \(paused.sent) in \(pausedAfter) s at 20/s")
        try await Task.sleep(for: .milliseconds(600))
        #expect(run.progress.sent == paused.sent, "sent while paused")
        let resumedAt = clock.now
        run.resume()
        try await Task.sleep(for: .milliseconds(260))
        let resumed = run.progress.sent - paused.sent
        let resumedFor = (clock.now - resumedAt) / .seconds(1)
        #expect(resumed >= 1 && resumed <= Int(resumedFor * 20) + 2, "\(resumed) sent in \(resumedFor) s after resuming: no catch-up burst")
        run.abort()
        #expect(run.wait(timeout: 2))
        let final = run.progress
        #expect(final.finished && final.aborted && final.stopReason == "aborted by the user")
        #expect(final.sent < 60 && final.done == final.sent + 1 && final.failed == 0)
        #expect(try client.llen(key: PriorityBucket.key(queue: "celery", priority: nil)) == final.sent)
    }

    @Test(.timeLimit(.minutes(1))) func everyPlanIsSentOnceIntoItsPriorityList() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let client = ControlClient(url: try BrokerURL(parsing: redis.url))
        let run = PacedRequeue(preview: Self.plans(30, priority: 7), pace: .unpaced, broker: client, origin: "test@host")
        run.start()
        #expect(run.wait(timeout: 5))
        let progress = run.progress
        #expect(progress.sent == 30 && progress.refused == 1 && !progress.aborted)
        #expect(Set(progress.outcomes.compactMap(\.newID)).count == 30)
        let messages = try client.lrange(key: PriorityBucket.key(queue: "celery", priority: 7))
        #expect(messages.count == 30)
        let ids = try messages.map { try #require(try KombuEnvelope.decode($0).headers["id"]?.stringValue) }
        #expect(Set(ids) == Set(progress.outcomes.compactMap(\.newID)))
        let tags = try messages.map { try KombuEnvelope.decode($0).properties["delivery_tag"]?.stringValue ?? "" }
        #expect(Set(tags).count == 30)
    }

    @Test(.timeLimit(.minutes(1))) func brokerErrorsStopTheRun() async throws {
        // Nothing listens on this port: every push fails, and the run stops after five.
        let port = try FreePort.next()
        let client = ControlClient(url: try BrokerURL(parsing: "redis://127.0.0.1:\(port)/0"), timeouts: .init(connect: 0.2, io: 0.2))
        let run = PacedRequeue(preview: Self.plans(20), pace: .unpaced, broker: client, origin: "test@host")
        run.start()
        #expect(run.wait(timeout: 10))
        let progress = run.progress
        #expect(progress.failed == PacedRequeue.maxConsecutiveFailures && progress.sent == 0 && progress.aborted)
        #expect(progress.stopReason?.contains("broker errors") == true)
    }
}
