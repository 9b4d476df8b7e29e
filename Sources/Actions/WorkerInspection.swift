import Monitor

/// What one worker said about itself over remote control: pool, concurrency, its active and reserved
/// tasks and the queues it consumes (`inspect stats`, `active`, `reserved`, `active_queues`).
///
/// Why: events tell what a worker did, not how it is set up; the worker view needs the pool size to say
/// whether the worker is saturated, and the queues to say what it takes. Every field is optional: a
/// worker that did not answer one of the four requests in time leaves it nil (`missing` names them).
/// Bounds: at most `maxTasks` active and `maxTasks` reserved tasks and `maxQueues` queues are kept
/// (`activeTotal`/`reservedTotal` keep the reported counts); values outside their ranges are dropped
/// and counted in `rejected`.
public struct WorkerInspection: Sendable, Equatable {
    /// Tasks kept per list (active, reserved); more are counted, not kept.
    public static let maxTasks = 200
    /// Queue names kept.
    public static let maxQueues = 100
    /// The largest concurrency believed (larger values are dropped as hostile).
    public static let maxConcurrency = 100_000

    /// One task a worker holds, as inspect lists it.
    public struct Task: Sendable, Equatable {
        public var id: String
        public var name: String
        /// `time_start` (epoch seconds) of an active task; nil for reserved ones.
        public var started: Double?
        public var workerPID: Int?

        public init(id: String, name: String, started: Double? = nil, workerPID: Int? = nil) {
            self.id = id
            self.name = name
            self.started = started
            self.workerPID = workerPID
        }
    }

    public var hostname: String
    /// The pool implementation's short name: `prefork`, `solo`, `threads`, `eventlet`, `gevent`.
    public var pool: String?
    public var concurrency: Int?
    /// Prefork child process ids.
    public var processes: [Int]?
    public var prefetchCount: Int?
    public var uptime: Double?
    public var active: [Task]?
    public var reserved: [Task]?
    public var activeTotal = 0
    public var reservedTotal = 0
    public var queues: [String]?
    /// The requests that got no answer from this worker in time.
    public var missing: [String] = []
    /// Values dropped as out of range or of the wrong type.
    public var rejected = 0
    /// The dashboard's time when the answer arrived (stamped by `update`), to say how old it is.
    public var answeredAt: Double = 0

    public init(hostname: String) {
        self.hostname = hostname
    }

    /// The short pool name from an implementation path such as `celery.concurrency.prefork:TaskPool`.
    public static func poolName(implementation: String) -> String {
        let module = implementation.split(separator: ":").first.map(String.init) ?? implementation
        return module.split(separator: ".").last.map(String.init) ?? module
    }
}
