/// One worker heartbeat as the worker view charts it: when, how many tasks were active, the 1-minute load.
///
/// Why: the worker view shows a worker's recent history (is it saturated, did its heartbeats stall?),
/// which the latest values alone cannot. Kept per worker in `WorkerRecord.heartbeats`, bounded there.
public struct HeartbeatSample: Sendable, Equatable {
    public var timestamp: Double
    public var active: Int
    /// The 1-minute load average, when the heartbeat carried one.
    public var load: Double?

    public init(timestamp: Double, active: Int, load: Double?) {
        self.timestamp = timestamp
        self.active = active
        self.load = load
    }
}
