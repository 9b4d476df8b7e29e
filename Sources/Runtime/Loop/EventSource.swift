import Dashboard
import Monitor

/// Where the dashboard's events come from: the live broker or a recording.
///
/// Polled once per frame by the loop, on the loop's thread.
public protocol EventSource: AnyObject {
    /// Starts delivering (subscribes, or opens the recording).
    func start()
    /// Everything that arrived since the last poll.
    func poll() -> SourceUpdate
    /// Stops and releases threads and connections.
    func stop()
    /// Pauses, steps or seeks a replay (a live source ignores it).
    func control(_ command: ReplayControl)
}

extension EventSource {
    public func control(_ command: ReplayControl) {}
}

/// One frame's worth of input from an `EventSource`.
public struct SourceUpdate: Sendable {
    public var events: [CeleryEvent] = []
    /// Decoder counters for the events above (added to the model's).
    public var decodeStats = DecodeStats()
    /// Cumulative raw messages the subscriber dropped and refused as oversized.
    public var dropped = 0
    public var oversized = 0
    /// The connection state, when the source has one and it changed.
    public var connection: ConnectionState?
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
