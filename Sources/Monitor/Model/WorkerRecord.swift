/// A worker as seen through its heartbeats; online until `lastHeartbeat + freq × 2` passes.
///
/// Bound: `heartbeats` keeps the newest `WorkerRecord.maxHeartbeats` samples (a minute at Celery's
/// default 2 s frequency), oldest first.
public struct WorkerRecord: Sendable, Equatable {
    /// Heartbeat samples kept per worker for the worker view's history.
    public static let maxHeartbeats = 30

    public let hostname: String
    public var freq: Double
    public var lastHeartbeat: Double?
    public var offlineAt: Double?
    public var active: Int
    public var processed: Int
    public var loadavg: [Double]
    public var pid: Int?
    public var software: String?
    /// Task events seen from this worker, by kind, for the workers pane.
    public var succeeded = 0
    public var failed = 0
    public var retried = 0
    /// The newest heartbeats (at most `maxHeartbeats`), oldest first.
    public var heartbeats: [HeartbeatSample] = []
    var clock: Int = 0

    public init(hostname: String) {
        self.hostname = hostname
        self.freq = 2
        self.active = 0
        self.processed = 0
        self.loadavg = []
    }

    /// Adds a heartbeat sample in time order, dropping the oldest past the bound; a sample older than the
    /// newest kept is ignored (a late or replayed heartbeat must not reorder the history).
    public mutating func recordHeartbeat(_ sample: HeartbeatSample) {
        if let last = heartbeats.last, sample.timestamp < last.timestamp { return }
        heartbeats.append(sample)
        if heartbeats.count > WorkerRecord.maxHeartbeats { heartbeats.removeFirst(heartbeats.count - WorkerRecord.maxHeartbeats) }
    }

    /// Celery's rule (`HEARTBEAT_EXPIRE_WINDOW`): a worker is alive while its last heartbeat is younger
    /// than twice its frequency, and it has not said goodbye since.
    public func isOnline(at now: Double) -> Bool {
        guard let lastHeartbeat else { return false }
        if let offlineAt, offlineAt >= lastHeartbeat { return false }
        return now < lastHeartbeat + freq * 2
    }
}
