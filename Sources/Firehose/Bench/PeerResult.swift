/// What `bench/celery_state_peer.py` (Celery's EventReceiver + State) reported for one run.
public struct PeerResult: Sendable, Equatable, Codable {
    public var events: Int
    public var tasks: Int
    public var workers: Int
    public var disconnected: Bool
    public var error: String?
    public var busySeconds: Double
    public var cpuSeconds: Double
    public var maxRSSKilobytes: Int

    enum CodingKeys: String, CodingKey {
        case events, tasks, workers, disconnected, error
        case busySeconds = "busy_seconds"
        case cpuSeconds = "cpu_seconds"
        case maxRSSKilobytes = "max_rss_kb"
    }
}
