import Foundation
import Monitor
import RedisLink

/// Subscriber thread → raw inbox → decode thread → event inbox, ready to be folded by one owner.
///
/// Why three stages: Redis disconnects a pub/sub client that falls 32 MB behind, so the reader only
/// copies bytes; decoding (the costly part) runs on its own thread; folding stays with the single owner
/// of the model (the dashboard loop or a headless command). Overload is counted in the raw inbox.
public final class IngestPipeline: @unchecked Sendable {
    public let subscriber: EventSubscriber
    public let events: EventInbox
    private let decoder: EventDecoder
    private let lock = NSLock()
    private var running = false
    private var decodeThread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    /// The longest the decode thread sleeps when the inbox is empty: the added latency of a first event.
    static let maxIdleSleepMicroseconds: UInt32 = 5_000

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
        let thread = Thread { [self] in decodeLoop() }
        thread.name = "retrytop.decode"
        thread.qualityOfService = .userInitiated
        decodeThread = thread
        thread.start()
    }

    public func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        guard wasRunning else { return }
        subscriber.stop()
        events.close()
        finished.wait()
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private func decodeLoop() {
        var raw: [RawMessage] = []
        raw.reserveCapacity(4_096)
        var idleRounds: UInt32 = 0
        while true {
            let keepGoing = isRunning
            raw.removeAll(keepingCapacity: true)
            subscriber.inbox.drain(into: &raw)
            if raw.isEmpty {
                if !keepGoing { break }
                // Poll fast while events flow, back off to 5 ms when idle (the raw inbox buffers meanwhile).
                usleep(min(IngestPipeline.maxIdleSleepMicroseconds, 100 << min(idleRounds, 6)))
                idleRounds += 1
                continue
            }
            idleRounds = 0
            var batch = DecodedBatch()
            batch.events.reserveCapacity(raw.count * 2)
            for message in raw { decoder.decode(envelope: message.payload, into: &batch.events, stats: &batch.stats) }
            if !events.put(batch) { break }
        }
        finished.signal()
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
