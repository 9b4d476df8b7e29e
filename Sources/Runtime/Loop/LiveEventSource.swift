import Monitor
import RedisLink

/// Events from the broker through the ingest pipeline (subscriber thread → decode thread → inbox).
public final class LiveEventSource: EventSource {
    public let pipeline: IngestPipeline
    private var lastVersion: UInt64 = .max

    public init(pipeline: IngestPipeline) {
        self.pipeline = pipeline
    }

    public func start() { pipeline.start() }

    public func stop() { pipeline.stop() }

    public func poll() -> SourceUpdate {
        let batch = pipeline.events.take()
        var update = SourceUpdate()
        update.events = batch.events
        update.decodeStats = batch.stats
        let inbox = pipeline.subscriber.inbox.statistics
        update.dropped = inbox.dropped
        update.oversized = inbox.oversized
        let (version, state) = pipeline.subscriber.snapshot()
        if version != lastVersion {
            lastVersion = version
            update.connection = state
        }
        return update
    }
}
