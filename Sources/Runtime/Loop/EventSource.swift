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
    /// Like `poll()`, except that events may stay with the source until a later poll while fewer than
    /// `limit` wait; everything else (connection, drop counters, backfill) is delivered as it comes.
    /// The loop folds a small trickle once per event frame rather than every frame (`DashboardLoop`).
    func poll(holdingBackFewerThan limit: Int) -> SourceUpdate
    /// Stops and releases threads and connections.
    func stop()
    /// Pauses, steps or seeks a replay (a live source ignores it).
    func control(_ command: ReplayControl)
    /// Takes back the events of a poll once they are folded, so that their storage is reused.
    func recycle(_ events: inout [CeleryEvent])
}

extension EventSource {
    public func control(_ command: ReplayControl) {}

    public func recycle(_ events: inout [CeleryEvent]) {}

    /// A source that cannot tell how many events wait delivers them all.
    public func poll(holdingBackFewerThan limit: Int) -> SourceUpdate { poll() }
}
