import Monitor
import RedisLink
import Runtime

/// Events from the broker through the ingest pipeline (subscriber thread → decode thread → inbox).
public final class LiveEventSource: EventSource {
    public let pipeline: IngestPipeline
    /// Reads what Redis holds from before the subscription (nil with `--no-backfill`).
    public let backfill: BackfillReader?
    private var lastVersion: UInt64 = .max

    public init(pipeline: IngestPipeline, backfill: BackfillReader? = nil) {
        self.pipeline = pipeline
        self.backfill = backfill
    }

    /// Subscribes first, then starts backfill (which waits for the subscription before reading).
    public func start() {
        pipeline.start()
        backfill?.start()
    }

    public func stop() {
        backfill?.stop()
        pipeline.stop()
    }

    public func recycle(_ events: inout [CeleryEvent]) {
        pipeline.recycle(&events)
    }

    public func poll() -> SourceUpdate {
        update(from: pipeline.take())
    }

    public func poll(holdingBackFewerThan limit: Int) -> SourceUpdate {
        guard let waiting = pipeline.trickleWaiting(below: limit) else { return update(from: pipeline.take()) }
        var held = update(from: pipeline.status())
        held.eventsHeldBack = waiting > 0
        return held
    }

    private func update(from delivery: IngestDelivery) -> SourceUpdate {
        var update = SourceUpdate()
        update.events = delivery.events
        update.counters = delivery.counters
        if delivery.connectionVersion != lastVersion {
            lastVersion = delivery.connectionVersion
            update.connection = delivery.connection
        }
        if let backfill { update.backfill = backfill.take() }
        return update
    }
}
