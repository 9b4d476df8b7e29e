import Foundation
import Monitor
import RedisLink
import Threading

/// Subscriber thread → raw inbox → decode thread → event inbox, ready to be folded by one owner.
///
/// Why three stages: Redis disconnects a pub/sub client that falls 32 MB behind, so the reader only
/// copies bytes; decoding (the costly part) runs on its own thread; folding stays with the single owner
/// of the model (the dashboard loop or a headless command). Overload is counted in the raw inbox.
/// Hand-offs are batched: the reader hands over what one read brought, the decode thread sleeps until
/// then (it never polls), and the owner folds once per frame, so a quiet pipeline costs nothing and
/// an event costs about the same at 2,000 events/s as in a storm.
///
/// The decode thread coalesces too: after a batch of fewer than `coalesceBelowMessages` messages (an
/// everyday rate) it sleeps `coalesce` seconds before taking the next, so what the reader handed over
/// meanwhile (a read about every 8 ms, often two) is decoded in one wake-up, and the reader's hand-offs
/// find no sleeper to signal. A larger batch means traffic: the next one is taken at once, so a storm
/// never waits, and at the start of one at most `coalesce` of it waits in the raw inbox (bounded,
/// counting drops), never in Redis. Adds at most `coalesce` (10 ms) between publish and fold.
public final class IngestPipeline: @unchecked Sendable {
    /// The decode thread's coalescing sleep after a small batch, seconds.
    public static let defaultCoalesce = 0.010
    /// A batch smaller than this many messages means a quiet channel: the decode thread may sleep.
    public static let coalesceBelowMessages = 64

    public let subscriber: EventSubscriber
    public let events: EventInbox
    private let decoder: EventDecoder
    private let coalesceMicroseconds: UInt32
    private let lock = NSLock()
    private var running = false
    private let decodeThread = StoppableThread(name: "retrytop.decode")

    /// - Parameter coalesce: the decode thread's sleep after a small batch, seconds (0: none; at most 0.25).
    public init(
        subscriber: EventSubscriber, decoder: EventDecoder = EventDecoder(), events: EventInbox = EventInbox(),
        coalesce: Double = IngestPipeline.defaultCoalesce
    ) {
        self.subscriber = subscriber
        self.decoder = decoder
        self.events = events
        self.coalesceMicroseconds = UInt32(min(max(0, coalesce), 0.25) * 1_000_000)
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
        decodeThread.start(qualityOfService: .userInitiated) { [self] _ in decodeLoop() }
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

    /// Sleeps until the reader hands over a batch (no polling: an idle pipeline costs nothing), decodes
    /// everything waiting at once, and hands the events on; after a small batch it sleeps `coalesce`
    /// first (see the type); ends when the raw inbox is closed.
    private func decodeLoop() {
        var raw: [RawMessage] = []
        raw.reserveCapacity(4_096)
        while subscriber.inbox.waitAndDrain(into: &raw) {
            var batch = DecodedBatch()
            batch.events.reserveCapacity(raw.count * 2)
            for message in raw { decoder.decode(envelope: message.payload, into: &batch.events, stats: &batch.stats) }
            if !events.put(batch) { break }
            if raw.count < Self.coalesceBelowMessages, coalesceMicroseconds > 0 { usleep(coalesceMicroseconds) }
        }
    }

    /// Everything waiting: the decoded events, the link's counters and the connection with its version.
    ///
    /// The one way the pipeline is drained: `LiveEventSource.poll()` (the dashboard) and `drain(into:link:)`
    /// (the headless commands) both take from here, so they count alike.
    public func take() -> IngestDelivery {
        let batch = events.take()
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
