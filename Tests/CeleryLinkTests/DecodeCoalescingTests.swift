import CeleryLink
import Foundation
import Monitor
import RedisLink
import Testing
import TestSupport

/// The decode thread coalesces at everyday rates: after a small batch it sleeps briefly, so the
/// reader's hand-offs (about one per read) are decoded a few at a time, not one wake-up each; a large
/// batch (a storm) is followed at once.
@Suite struct DecodeCoalescingTests {
    /// A pipeline subscribed to a real redis-server; the test plays the reader by pushing into its inbox.
    static func pipeline(_ server: RedisServerProcess, coalesce: Double) throws -> IngestPipeline {
        var configuration = EventSubscriber.Configuration(url: try BrokerURL(parsing: server.url()))
        configuration.readTimeout = 0.2
        return IngestPipeline(subscriber: EventSubscriber(configuration: configuration), coalesce: coalesce)
    }

    /// Pushes `count` one-message hand-offs `gapMicroseconds` apart; returns the messages decoded.
    static func feed(_ pipeline: IngestPipeline, count: Int, gapMicroseconds: UInt32) -> Int {
        var decoded = 0
        for message in messages(count) {
            pipeline.subscriber.inbox.push(contentsOf: [message])
            usleep(gapMicroseconds)
            decoded += pipeline.events.take().stats.messages
        }
        return waitDecoded(pipeline, count: count, already: decoded)
    }

    /// Takes from the pipeline until `count` messages were decoded in all (or 10 s pass); returns how many were.
    static func waitDecoded(_ pipeline: IngestPipeline, count: Int, already: Int = 0) -> Int {
        var decoded = already
        let deadline = Date().addingTimeInterval(10)
        while decoded < count, Date() < deadline {
            usleep(1_000)
            decoded += pipeline.events.take().stats.messages
        }
        return decoded
    }

    @Test func handOffsAMillisecondApartAreDecodedInFewWakeUps() throws {
        let server = try RedisServerProcess()
        let pipeline = try Self.pipeline(server, coalesce: IngestPipeline.defaultCoalesce)
        pipeline.start()
        defer { pipeline.stop() }
        let count = 300
        #expect(Self.feed(pipeline, count: count, gapMicroseconds: 1_000) == count)
        let stats = pipeline.subscriber.inbox.statistics
        // 300 hand-offs over ≥ 300 ms with a 10 ms coalescing sleep: about 30 wake-ups, never one per hand-off.
        #expect(stats.handOffs >= count)
        #expect(stats.wakeUps * 3 < count, "\(stats.wakeUps) decode wake-ups for \(count) hand-offs")
    }

    /// Pushes `messages` as one hand-off and waits until all are decoded; true when they were.
    static func handOver(_ messages: [RawMessage], to pipeline: IngestPipeline) -> Bool {
        pipeline.subscriber.inbox.push(contentsOf: messages)
        return waitDecoded(pipeline, count: messages.count) == messages.count
    }

    static func messages(_ count: Int) -> [RawMessage] {
        (0..<count).map { RawMessage(channel: Array("/0.celeryev/task.multi".utf8), payload: Array("m\($0)".utf8)) }
    }

    @Test func aLargeBatchIsFollowedAtOnceASmallOneAfterTheSleep() throws {
        let server = try RedisServerProcess()
        // A long sleep (250 ms) so that "still asleep 100 ms later" does not depend on the machine's load.
        let pipeline = try Self.pipeline(server, coalesce: 0.25)
        pipeline.start()
        defer { pipeline.stop() }
        // After a storm-sized batch the decode thread waits for the next hand-off at once: a push
        // 100 ms later finds it waiting and wakes it.
        #expect(Self.handOver(Self.messages(IngestPipeline.coalesceBelowMessages * 4), to: pipeline))
        usleep(100_000)
        var wakeUps = pipeline.subscriber.inbox.statistics.wakeUps
        #expect(Self.handOver(Self.messages(IngestPipeline.coalesceBelowMessages * 4), to: pipeline))
        #expect(pipeline.subscriber.inbox.statistics.wakeUps == wakeUps + 1, "the decode thread slept after a large batch")
        // After a small batch it sleeps: a push 100 ms later finds nobody waiting (no wake-up) and is
        // decoded when the sleep ends.
        #expect(Self.handOver(Self.messages(3), to: pipeline))
        usleep(100_000)
        wakeUps = pipeline.subscriber.inbox.statistics.wakeUps
        #expect(Self.handOver(Self.messages(3), to: pipeline))
        #expect(pipeline.subscriber.inbox.statistics.wakeUps == wakeUps, "the decode thread did not sleep after a small batch")
    }
}
