import Dashboard
import Monitor

/// One frame's worth of input from an `EventSource`.
public struct SourceUpdate: Sendable {
    public var events: [CeleryEvent] = []
    /// Decoder counters for the events above and the subscriber's inbox counters (`LinkStatus.absorb`).
    public var counters = LinkCounters()
    /// The connection state, when the source has one and it changed.
    public var connection: ConnectionState?
    /// Events wait with the source for a later poll (`poll(holdingBackFewerThan:)` kept a trickle).
    public var eventsHeldBack = false
    /// True once a finite source (a recording) has delivered everything.
    public var finished = false
    /// What backfill found since the last poll (live sources only).
    public var backfill = BackfillDelivery()
    /// A replay's position (replays only).
    public var replay: ReplayPosition?
    /// A replay went back in time: the model must be rebuilt; `events` start from the recording's start.
    public var restarted = false

    public init() {}
}
