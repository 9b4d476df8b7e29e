import Foundation
import Monitor
import RedisLink
import Threading

/// Subscriber thread → raw inbox → decode thread → event inbox, ready to be folded by one owner.
///
/// Why three stages: Redis disconnects a pub/sub client that falls 32 MB behind, so the reader only
/// copies bytes; decoding (the costly part) runs on its own thread; folding stays with the single owner
/// of the model (the dashboard loop or a headless command). Overload is counted in the raw inbox.
/// Hand-offs are batched: the reader hands over what one read brought and the owner folds once per
/// frame, so a quiet pipeline costs nothing and an event costs about the same at 2,000 events/s as in
/// a storm.
///
/// Who decodes adapts to the rate. The decode thread sleeps (it never polls) until `decodeThreadBytes`
/// or `decodeThreadMessages` wait in the raw inbox; below that, the owner decodes what waits itself when
/// it takes (`take()`), in the frame that folds it. At an everyday rate (2,000 events/s is about 2.6 MB/s
/// with tracebacks, some 130 KB per 50 ms frame) the decode thread then never wakes: no hand-off, no
/// cold start 40 times a second, and the bytes are decoded right before they are folded. In a storm
/// the threshold is crossed within a few reads and the decode thread takes over: the owner leaves the
/// raw inbox to it as long as it decoded anything since the owner's last take, because on two cores the
/// owner's frames (fold, draw, keys) must not grow with the rate (decoding there made keys answer in
/// 200–370 ms instead of 75–100 ms at 100,000 events/s, `StormResponsivenessTests`). One lock
/// (`decodeLock`), held from a drain of the raw inbox until its events are handed on, keeps events in
/// the order they were read.
public final class IngestPipeline: @unchecked Sendable {
    public let subscriber: EventSubscriber
    /// Decoded events; taken only through `take()`, which also decodes what waits in the raw inbox (a
    /// reader of this inbox alone would never see a trickle: `retrytop events` printed nothing).
    private let events: EventInbox
    private let decoder: EventDecoder
    private let lock = NSLock()
    private var running = false
    private let decodeThread = StoppableThread(name: "retrytop.decode")
    /// Held by whoever drains the raw inbox until the drained events are in `events` (the decode thread)
    /// or taken (the owner), so no batch overtakes another.
    private let decodeLock = NSLock()
    /// The owner's raw batch (reused; only touched under `decodeLock`).
    private var ownerRaw: [RawMessage] = []
    /// The decoder's scratch for base64 bodies (reused; only touched under `decodeLock`).
    private var scratch: [UInt8] = []
    /// Batches the decode thread has decoded (under `lock`), and that count when the owner last took.
    private var decodeThreadBatches = 0
    private var decodeThreadBatchesSeen = 0
    /// An emptied events array handed back by the owner (`recycle`), for the next batch (under `lock`).
    private var spareEvents: [CeleryEvent] = []

    /// Raw bytes waiting that wake the decode thread: about 0.4 s at 2,000 events/s with tracebacks,
    /// 16 reads in a storm; decoding it takes the owner 1–3 ms.
    public static let decodeThreadBytes = 1 << 20
    /// Raw messages waiting that wake the decode thread (small messages without tracebacks).
    public static let decodeThreadMessages = 4_096
    /// Nice values between the reader and the decode thread. At the publisher's maximum on 2 cores with
    /// `task.multi` batches, Redis cut the subscriber in 9 of 17 bench rungs with both at 0 and in 2 of 11
    /// with decode at 5 (BENCHMARKS, round 10; one event per message fared worse: 4 of 7, 1 of 13 before).
    public static let decodePriorityBelowReader = 5

    public init(subscriber: EventSubscriber, decoder: EventDecoder = EventDecoder(), events: EventInbox = EventInbox()) {
        self.subscriber = subscriber
        self.decoder = decoder
        self.events = events
        subscriber.inbox.setWakeThreshold(bytes: Self.decodeThreadBytes, messages: Self.decodeThreadMessages)
    }

    public func start() {
        lock.lock()
        guard !running else {
            lock.unlock()
            return
        }
        running = true
        lock.unlock()
        subscriber.start()
        // Below the reader: when decode cannot keep up, the reader still gets the CPU to read everything
        // Redis sends, and the inbox drops and counts what decode cannot take (`ThreadPriority`).
        decodeThread.start(qualityOfService: .userInitiated, lowerPriorityBy: Self.decodePriorityBelowReader) { [self] _ in decodeLoop() }
    }

    public func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        guard wasRunning else { return }
        subscriber.stop()
        subscriber.inbox.close()
        events.close()
        decodeThread.stop()
    }

    /// Sleeps until the raw inbox passes the wake threshold (no polling: an idle pipeline costs nothing),
    /// decodes everything waiting at once, and hands the events on; ends when the raw inbox is closed.
    private func decodeLoop() {
        var raw: [RawMessage] = []
        raw.reserveCapacity(4_096)
        while subscriber.inbox.waitUntilReady() {
            decodeLock.lock()
            defer { decodeLock.unlock() }
            subscriber.inbox.drain(into: &raw)
            guard !raw.isEmpty else { continue }
            lock.withLock { decodeThreadBatches &+= 1 }
            var batch = DecodedBatch()
            batch.events = takeSpareEvents()
            decode(raw, into: &batch)
            if !events.put(batch) { break }
        }
    }

    private func decode(_ raw: [RawMessage], into batch: inout DecodedBatch) {
        batch.events.reserveCapacity(batch.events.count + raw.count * 2)
        for message in raw {
            message.withPayload { decoder.decode(envelope: $0, into: &batch.events, stats: &batch.stats, scratch: &scratch) }
        }
    }

    /// Everything waiting: the decoded events, the link's counters and the connection with its version.
    ///
    /// The one way the pipeline is drained: `LiveEventSource.poll()` (the dashboard) and `drain(into:link:)`
    /// (the headless commands) both take from here, so they count alike.
    public func take() -> IngestDelivery {
        var batch: DecodedBatch
        // With the lock, nothing is between the raw inbox and `events`: what `events` holds was read
        // before what the raw inbox holds. Without it the decode thread is at work and takes the rest.
        if decodeLock.try() {
            batch = events.take()
            let (batches, stopped) = lock.withLock { (decodeThreadBatches, !running) }
            let decodeThreadIdle = batches == decodeThreadBatchesSeen
            decodeThreadBatchesSeen = batches
            if stopped {
                // After `stop()` (the decode thread has ended): whatever the raw inbox still holds.
                subscriber.inbox.drain(into: &ownerRaw)
            } else if decodeThreadIdle {
                _ = subscriber.inbox.drainIfBelowWakeThreshold(into: &ownerRaw)
            }
            if !ownerRaw.isEmpty {
                if batch.events.isEmpty { batch.events = takeSpareEvents() }
                decode(ownerRaw, into: &batch)
            }
            ownerRaw.removeAll(keepingCapacity: true)
            decodeLock.unlock()
        } else {
            batch = events.take()
        }
        return delivery(batch)
    }

    /// Takes back an events array the owner has folded, emptied, so that the next batch reuses its
    /// storage. A frame's events at 2,000 events/s are about 400 of some 500 bytes each: allocating
    /// that anew every take went through malloc's slow path (3.4% of the dashboard's main thread).
    public func recycle(_ events: inout [CeleryEvent]) {
        events.removeAll(keepingCapacity: true)
        lock.withLock {
            if events.capacity > spareEvents.capacity { swap(&events, &spareEvents) }
        }
    }

    /// The recycled array, if any (empty; its capacity kept).
    private func takeSpareEvents() -> [CeleryEvent] {
        lock.withLock {
            var taken: [CeleryEvent] = []
            swap(&taken, &spareEvents)
            return taken
        }
    }

    /// The link's counters and connection, leaving the events where they wait (`take()` has them later).
    public func status() -> IngestDelivery {
        delivery(DecodedBatch())
    }

    /// The events waiting when they are only a trickle, else nil: fewer than `limit` wait (decoded or
    /// not; a raw message holds at least one) and the decode thread has decoded nothing since the last
    /// take. Such a trickle may wait for the owner's next take. A flow that keeps the decode thread busy
    /// is never one, however little waits at the moment (a batch in the decode thread's hands is counted
    /// nowhere).
    public func trickleWaiting(below limit: Int) -> Int? {
        guard lock.withLock({ decodeThreadBatches }) == decodeThreadBatchesSeen else { return nil }
        let waiting = events.depth + subscriber.inbox.statistics.depth
        return waiting < limit ? waiting : nil
    }

    private func delivery(_ batch: DecodedBatch) -> IngestDelivery {
        let inbox = subscriber.inbox.statistics
        let (version, connection) = subscriber.snapshot()
        return IngestDelivery(
            events: batch.events,
            counters: LinkCounters(decode: batch.stats, inboxDropped: inbox.dropped, inboxOversized: inbox.oversized),
            connection: connection, connectionVersion: version)
    }

    /// Folds everything waiting into `state` and the link's connection and counters into `link`.
    public func drain(into state: inout MonitorState, link: inout LinkStatus) {
        let delivery = take()
        state.apply(delivery.events)
        link.absorb(delivery.counters)
        link.connection = delivery.connection
    }
}
