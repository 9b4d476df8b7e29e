import Monitor

/// One drain of the ingest pipeline (`IngestPipeline.take()`): events, counters and the connection.
public struct IngestDelivery: Sendable {
    public var events: [CeleryEvent]
    public var counters: LinkCounters
    public var connection: ConnectionState
    /// Bumped by the subscriber on every connection change, so a poller sends only changes.
    public var connectionVersion: UInt64
}
