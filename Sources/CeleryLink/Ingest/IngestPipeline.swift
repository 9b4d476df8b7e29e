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
public final class IngestPipeline: @unchecked Sendable {
    public let subscriber: EventSubscriber
    public let events: EventInbox
    private let decoder: EventDecoder
    private let lock = NSLock()
    private var running = false
    private let decodeThread = StoppableThread(name: "retrytop.decode")

    public init(subscriber: EventSubscriber, decoder: EventDecoder = EventDecoder(), events: EventInbox = EventInbox()) {
        self.subscriber = subscriber
        self.decoder = decoder
        self.events = events
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
    /// everything waiting at once, and hands the events on; ends when the raw inbox is closed.
    private func decodeLoop() {
        var raw: [RawMessage] = []
        raw.reserveCapacity(4_096)
        while subscriber.inbox.waitAndDrain(into: &raw) {
            var batch = DecodedBatch()
            batch.events.reserveCapacity(raw.count * 2)
            for message in raw {
                message.withPayload { decoder.decode(envelope: $0, into: &batch.events, stats: &batch.stats) }
            }
            if !events.put(batch) { break }
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
