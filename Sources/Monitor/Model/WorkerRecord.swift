/// A worker as seen through its heartbeats; online until `lastHeartbeat + freq × 2` passes.
public struct WorkerRecord: Sendable, Equatable {
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
    var clock: Int = 0

    public init(hostname: String) {
        self.hostname = hostname
        self.freq = 2
        self.active = 0
        self.processed = 0
        self.loadavg = []
    }

    /// Celery's rule (`HEARTBEAT_EXPIRE_WINDOW`): a worker is alive while its last heartbeat is younger
    /// than twice its frequency, and it has not said goodbye since.
    public func isOnline(at now: Double) -> Bool {
        guard let lastHeartbeat else { return false }
        if let offlineAt, offlineAt >= lastHeartbeat { return false }
        return now < lastHeartbeat + freq * 2
    }
}
