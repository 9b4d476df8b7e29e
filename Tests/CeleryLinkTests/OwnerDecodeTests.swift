import CeleryLink
import Firehose
import Foundation
import Monitor
import RedisLink
import Testing
import TestSupport

/// Who decodes adapts to the rate (`IngestPipeline`): below `decodeThreadBytes` waiting, the owner
/// decodes at its next take and the decode thread is never woken; above it the decode thread takes
/// over. Either way every event arrives once, in the order it was published. Real redis-server.
@Suite(.serialized) struct OwnerDecodeTests {
    static let storm = EncodedStorm(StormGenerator.generate(StormConfiguration(events: 6_000, tasks: 600, workers: 4, seed: 3)))

    /// The events of messages `range`, decoded straight from their envelopes.
    static func expected(_ range: Range<Int>) -> [CeleryEvent] {
        let decoder = EventDecoder()
        var events: [CeleryEvent] = []
        var stats = DecodeStats()
        for index in range {
            Array(storm.envelope(index)).withUnsafeBufferPointer { decoder.decode(envelope: $0, into: &events, stats: &stats) }
        }
        return events
    }

    /// Where two event sequences first differ (nil: equal), for a short failure message.
    static func firstDifference(_ got: [CeleryEvent], _ want: [CeleryEvent]) -> String? {
        if let index = (0..<min(got.count, want.count)).first(where: { got[$0] != want[$0] }) {
            return "event \(index) of \(want.count) differs: got \(got[index].kind) \(got[index].taskID ?? "-"), want \(want[index].kind) \(want[index].taskID ?? "-")"
        }
        return got.count == want.count ? nil : "\(got.count) events, want \(want.count)"
    }

    static func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while !condition(), Date() < deadline { usleep(10_000) }
        return condition()
    }

    static func publish(_ range: Range<Int>, on connection: RedisConnection) throws {
        for index in range {
            let channel = "/0.celeryev/" + storm.routingKeys[Int(storm.routes[index])]
            try connection.command([Array("PUBLISH".utf8), Array(channel.utf8), Array(storm.envelope(index))]).checked()
        }
    }

    /// A started pipeline on a fresh server, subscribed, with a publishing connection.
    static func started() throws -> (RedisServerProcess, IngestPipeline, RedisConnection) {
        let server = try RedisServerProcess.startBlocking()
        let url = try BrokerURL(parsing: server.url())
        let pipeline = IngestPipeline(subscriber: EventSubscriber(configuration: .init(url: url)))
        pipeline.start()
        let deadline = Date().addingTimeInterval(10)
        while pipeline.subscriber.connectionState.phase != .connected, Date() < deadline { usleep(10_000) }
        let publisher = RedisConnection(url: url, timeouts: .init(connect: 1, io: 5))
        try publisher.connect()
        return (server, pipeline, publisher)
    }

    /// Takes from the pipeline until `count` events have come (or 20 s pass): some may still be in the
    /// decode thread's hands when nothing waits in either inbox.
    static func takeAll(_ pipeline: IngestPipeline, count: Int, into events: inout [CeleryEvent]) {
        let deadline = Date().addingTimeInterval(20)
        while events.count < count, Date() < deadline {
            events += pipeline.take().events
            usleep(20_000)
        }
        // Anything beyond `count` would be a duplicate: take it too, so the comparison sees it.
        usleep(50_000)
        events += pipeline.take().events
    }

    /// Takes the rest of messages `0..<count`'s events after `events` and says where they first differ
    /// from those messages decoded straight from their envelopes (nil: every event once, in order).
    static func differenceAfterTakingAll(_ pipeline: IngestPipeline, messages count: Int, events: [CeleryEvent]) -> String? {
        var events = events
        let expected = expected(0..<count)
        takeAll(pipeline, count: expected.count, into: &events)
        return firstDifference(events, expected)
    }

    @Test func aTrickleIsDecodedByTheOwnerAndNeverWakesTheDecodeThread() throws {
        let (server, pipeline, publisher) = try Self.started()
        defer { pipeline.stop(); _ = server }
        var events: [CeleryEvent] = []
        // 300 messages in 15 groups, 40 ms apart, taken every frame (50 ms) like the dashboard does.
        for group in 0..<15 {
            try Self.publish(group * 20..<(group + 1) * 20, on: publisher)
            usleep(40_000)
            events += pipeline.take().events
        }
        let difference = Self.differenceAfterTakingAll(pipeline, messages: 300, events: events)
        #expect(difference == nil)
        let stats = pipeline.subscriber.inbox.statistics
        #expect(stats.received == 300 && stats.dropped == 0)
        #expect(stats.wakeUps == 0, "the decode thread was woken \(stats.wakeUps) times for a trickle")
    }

    /// The owner hands each take's events back once folded (`recycle`): the next take decodes into
    /// the same storage, and every event still arrives once, in order.
    @Test func aRecycledEventsArrayIsReusedByTheNextTake() throws {
        let (server, pipeline, publisher) = try Self.started()
        defer { pipeline.stop(); _ = server }
        var events: [CeleryEvent] = []
        var reused = 0
        var storage: UInt?
        var kept: [[CeleryEvent]] = []
        for group in 0..<10 {
            try Self.publish(group * 20..<(group + 1) * 20, on: publisher)
            usleep(40_000)
            var taken = pipeline.take().events
            guard !taken.isEmpty else { continue }
            let address = taken.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            if address == storage { reused += 1 }
            events += taken
            pipeline.recycle(&taken)
            #expect(taken.isEmpty)
            // Kept alive, so that a pipeline that kept nothing could not be handed the same block by malloc.
            kept.append(taken)
            storage = address
        }
        let difference = Self.differenceAfterTakingAll(pipeline, messages: 200, events: events)
        #expect(difference == nil)
        #expect(reused >= 8, "the storage was reused by \(reused) of 9 takes after the first")
    }

    @Test func aBurstWakesTheDecodeThreadAndEveryEventKeepsItsOrder() throws {
        let (server, pipeline, publisher) = try Self.started()
        defer { pipeline.stop(); _ = server }
        let count = Self.storm.messageCount
        let bytes = Self.storm.offsets[count]
        #expect(bytes > 2 * IngestPipeline.decodeThreadBytes, "the storm is too small for a burst: \(bytes) bytes")
        // The owner takes between the bursts, so owner and decode thread both decode some of it.
        var events: [CeleryEvent] = []
        for start in stride(from: 0, to: count, by: 500) {
            try Self.publish(start..<min(count, start + 500), on: publisher)
            events += pipeline.take().events
        }
        let difference = Self.differenceAfterTakingAll(pipeline, messages: count, events: events)
        #expect(difference == nil)
        let stats = pipeline.subscriber.inbox.statistics
        #expect(stats.received == count && stats.dropped == 0)
        #expect(stats.wakeUps >= 1, "the decode thread never woke for \(bytes) bytes")
    }

    /// The dashboard leaves a trickle with the pipeline until its next event frame, never a flow: once
    /// the decode thread has decoded since the last take, nothing is held back, however little waits.
    @Test func aFlowThatWokeTheDecodeThreadIsNeverHeldBack() throws {
        let (server, pipeline, publisher) = try Self.started()
        defer { pipeline.stop(); _ = server }
        #expect(pipeline.trickleWaiting(below: 1) == 0)
        try Self.publish(0..<3, on: publisher)
        #expect(Self.eventually { pipeline.subscriber.inbox.statistics.received == 3 })
        #expect(pipeline.trickleWaiting(below: 1_000) == 3, "3 messages are a trickle")
        #expect(pipeline.trickleWaiting(below: 3) == nil, "as many as the limit are not")
        let events = pipeline.take().events
        // More than the wake threshold, not taken: the decode thread decodes it.
        try Self.publish(3..<Self.storm.messageCount, on: publisher)
        #expect(Self.eventually { pipeline.trickleWaiting(below: .max) == nil })
        let difference = Self.differenceAfterTakingAll(pipeline, messages: Self.storm.messageCount, events: events)
        #expect(difference == nil)
        // Nothing decoded by the thread since that take: a trickle again (of nothing).
        #expect(pipeline.trickleWaiting(below: 1) == 0)
    }

    /// `snapshot` and `record` stop the pipeline and then take what is left: a trickle still waiting in
    /// the raw inbox (the owner decodes it at its next take, which never comes) must reach that last take.
    @Test func whatWaitsAtStopReachesTheLastTake() throws {
        let (server, pipeline, publisher) = try Self.started()
        defer { _ = server }
        try Self.publish(0..<50, on: publisher)
        #expect(Self.eventually { pipeline.subscriber.inbox.statistics.received == 50 })
        pipeline.stop()
        let events = pipeline.take().events
        #expect(Self.firstDifference(events, Self.expected(0..<50)) == nil)
    }

    /// The dashboard's source: between event frames it keeps a trickle back and says so (the loop then
    /// sleeps until the event frame), while the connection still comes at once; as many events as the
    /// limit are taken.
    @Test func theLiveSourceHoldsATrickleBackAndSaysSo() throws {
        let (server, pipeline, publisher) = try Self.started()
        defer { pipeline.stop(); _ = server }
        let source = LiveEventSource(pipeline: pipeline)
        try Self.publish(0..<5, on: publisher)
        #expect(Self.eventually { pipeline.subscriber.inbox.statistics.received == 5 })
        let held = source.poll(holdingBackFewerThan: 1_000)
        #expect(held.events.isEmpty && held.eventsHeldBack)
        #expect(held.connection?.phase == .connected)
        let taken = source.poll(holdingBackFewerThan: 5)
        #expect(!taken.eventsHeldBack)
        #expect(Self.firstDifference(taken.events, Self.expected(0..<5)) == nil)
        let empty = source.poll(holdingBackFewerThan: 1_000)
        #expect(empty.events.isEmpty && !empty.eventsHeldBack)
    }
}
