import CeleryLink
import Foundation
import Monitor
import RedisLink
import TestSupport
import Testing

/// Loss that must stay visible, against a real `redis-server`: a broker that stops answering
/// (SIGSTOP) and a subscriber that Redis drops as a slow consumer both leave a gap with the right
/// window and reason. The server is stopped and continued by its own PID only; a missing
/// redis-server fails these tests (see `RedisServerProcess`).
@Suite("Gaps against a real Redis", .serialized)
struct GapIntegrationTests {
    /// A pipeline on `server` with the default stall timing unless `stall` says otherwise.
    static func pipeline(_ server: RedisServerProcess, stall: StallDetector.Timing = .default) throws -> IngestPipeline {
        let url = try BrokerURL(parsing: server.url)
        var configuration = EventSubscriber.Configuration(url: url)
        configuration.readTimeout = 0.2
        configuration.backoff = ReconnectBackoff(initial: 0.05, multiplier: 2, cap: 0.4)
        configuration.stall = stall
        return IngestPipeline(subscriber: EventSubscriber(configuration: configuration))
    }

    /// A Celery event envelope as a worker publishes it: a base64 JSON body inside kombu's envelope.
    static func envelope(taskID: String, timestamp: Double, padding: Int = 0) throws -> [UInt8] {
        let body: [String: Any] = [
            "type": "task-received", "uuid": taskID, "hostname": "gap@test", "timestamp": timestamp, "clock": 1,
            "name": "gap.flood", "args": "('\(String(repeating: "x", count: padding))',)", "kwargs": "{}", "retries": 0,
        ]
        let bodyBytes = try JSONSerialization.data(withJSONObject: body)
        let envelope: [String: Any] = [
            "body": bodyBytes.base64EncodedString(), "content-encoding": "utf-8", "content-type": "application/json",
            "headers": ["hostname": "gap@test"], "properties": ["body_encoding": "base64", "delivery_mode": 1],
        ]
        return Array(try JSONSerialization.data(withJSONObject: envelope))
    }

    static func publish(_ publisher: RedisConnection, _ payload: [UInt8]) throws -> Int64 {
        try publisher.command([Array("PUBLISH".utf8), Array("/0.celeryev/task.multi".utf8), payload]).checked().integer ?? -1
    }

    static func waitFor(_ what: String, timeout: Double = 10, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw HarnessError("timed out waiting for \(what)") }
            usleep(20_000)
        }
    }

    @Test func aStoppedBrokerBecomesAStalledGapWithinFiveSecondsAndClosesAfterContinue() async throws {
        let server = try await RedisServerProcess.start()
        let pid = try #require(server.pid)
        let pipeline = try Self.pipeline(server)
        pipeline.start()
        defer { pipeline.stop() }
        try Self.waitFor("subscribed") { pipeline.subscriber.connectionState.phase == .connected }
        let publisher = try RedisConnection(url: BrokerURL(parsing: server.url))
        try publisher.connect()
        _ = try Self.publish(publisher, Self.envelope(taskID: "before", timestamp: Date().timeIntervalSince1970))
        try Self.waitFor("first event read") { pipeline.subscriber.inbox.statistics.received == 1 }

        let stoppedAt = Date().timeIntervalSince1970
        #expect(kill(pid, SIGSTOP) == 0)
        defer { kill(pid, SIGCONT) }
        try Self.waitFor("a stalled gap", timeout: 8) { pipeline.subscriber.connectionState.openGap != nil }
        let seenAt = Date().timeIntervalSince1970
        let stalled = pipeline.subscriber.connectionState
        let gap = try #require(stalled.openGap)
        #expect(gap.reason == ConnectionState.stalledReason)
        #expect(stalled.phase == .stalled)
        // The window starts at the last reply (an event or a PONG) before the stop, and shows within 5 s of it.
        #expect(gap.from <= stoppedAt + 0.05)
        #expect(gap.from >= stoppedAt - 2)
        #expect(seenAt - gap.from <= 5, "gap seen \(seenAt - gap.from) s after the last reply")

        let held = 8 - (Date().timeIntervalSince1970 - stoppedAt)
        if held > 0 { try await Task.sleep(for: .milliseconds(Int(held * 1_000))) }
        #expect(kill(pid, SIGCONT) == 0)
        try Self.waitFor("resumed") { pipeline.subscriber.connectionState.phase == .connected }
        let resumed = pipeline.subscriber.connectionState
        let closed = try #require(resumed.gaps.last)
        #expect(resumed.gaps.count == 1)
        #expect(closed.reason == ConnectionState.stalledReason)
        let end = try #require(closed.to)
        #expect(end >= stoppedAt + 7.5)
        #expect(resumed.gapsInLastHour(now: Date().timeIntervalSince1970) == 1)

        _ = try Self.publish(publisher, Self.envelope(taskID: "after", timestamp: Date().timeIntervalSince1970))
        try Self.waitFor("event after the stall") { pipeline.subscriber.inbox.statistics.received == 2 }
    }

    @Test func aStallThatPersistsReconnectsAndStaysOneGap() async throws {
        let server = try await RedisServerProcess.start()
        let pid = try #require(server.pid)
        let pipeline = try Self.pipeline(server, stall: StallDetector.Timing(pingInterval: 0.5, stallAfter: 1.5, reconnectAfter: 3))
        pipeline.start()
        defer { pipeline.stop() }
        try Self.waitFor("subscribed") { pipeline.subscriber.connectionState.phase == .connected }

        #expect(kill(pid, SIGSTOP) == 0)
        defer { kill(pid, SIGCONT) }
        try Self.waitFor("reconnecting after the stall persists", timeout: 10) {
            pipeline.subscriber.connectionState.phase == .reconnecting
        }
        #expect(pipeline.subscriber.connectionState.openGap?.reason == ConnectionState.stalledReason)
        #expect(kill(pid, SIGCONT) == 0)
        try Self.waitFor("subscribed again", timeout: 15) { pipeline.subscriber.connectionState.phase == .connected }
        let state = pipeline.subscriber.connectionState
        #expect(state.reconnects == 1)
        #expect(state.gaps.count == 1)
        #expect(state.gaps.first?.reason == ConnectionState.stalledReason)
        #expect(state.gaps.first?.to != nil)
    }

    @Test func aSlowConsumerGapStartsAtTheLastEventFolded() async throws {
        let server = try await RedisServerProcess.start()
        let pipeline = try Self.pipeline(server)
        pipeline.start()
        defer { pipeline.stop() }
        try Self.waitFor("subscribed") { pipeline.subscriber.connectionState.phase == .connected }
        let publisher = try RedisConnection(url: BrokerURL(parsing: server.url))
        try publisher.connect()
        try publisher.command(["CONFIG", "SET", "client-output-buffer-limit", "pubsub 64kb 32kb 1"]).checked()
        var state = MonitorState()
        var link = LinkStatus()

        _ = try Self.publish(publisher, Self.envelope(taskID: "before", timestamp: Date().timeIntervalSince1970))
        try Self.waitFor("first event read") { pipeline.subscriber.inbox.statistics.received == 1 }
        #expect(pipeline.subscriber.pauseReading())

        // Flood the parked reader until Redis drops it (PUBLISH then reaches no one), then a few more.
        var timestamp = Date().timeIntervalSince1970
        var published = 0
        var dropped = false
        while published < 20_000 {
            timestamp = max(timestamp + 0.000_1, Date().timeIntervalSince1970)
            let receivers = try Self.publish(publisher, Self.envelope(taskID: "flood-\(published)", timestamp: timestamp, padding: 2_000))
            published += 1
            if receivers == 0 {
                dropped = true
                break
            }
        }
        #expect(dropped, "Redis never dropped the parked subscriber")
        let disconnectSeenAt = Date().timeIntervalSince1970
        try await Task.sleep(for: .milliseconds(500))
        pipeline.subscriber.resumeReading()

        try Self.waitFor("subscribed again") {
            let connection = pipeline.subscriber.connectionState
            return connection.phase == .connected && connection.reconnects == 1
        }
        _ = try Self.publish(publisher, Self.envelope(taskID: "after", timestamp: Date().timeIntervalSince1970 + 1))
        try Self.waitFor("everything folded") {
            pipeline.drain(into: &state, link: &link)
            return state.tasks["after"] != nil
        }

        let flood = state.tasks.values.filter { $0.id.hasPrefix("flood-") }
        #expect(!flood.isEmpty && flood.count < published, "folded \(flood.count) of \(published)")
        let lastFolded = try #require(flood.map(\.firstSeen).max())
        let gap = try #require(link.connection.gaps.last)
        #expect(link.connection.gaps.count == 1)
        #expect(gap.from == lastFolded, "gap from \(gap.from), last event folded \(lastFolded)")
        #expect(gap.from < disconnectSeenAt)
        let end = try #require(gap.to)
        #expect(end > disconnectSeenAt)
    }
}
