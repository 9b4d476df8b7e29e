/// One task as a backfill source found it in Redis at start, before any of its events were seen.
///
/// Why: retrytop subscribes first and then reads what Redis still holds (`docs/celery-wire.md`, "Backfill: what a late starter can read"): the broker's
/// `unacked` hash for messages a worker holds (a retry waiting for its countdown, with the next
/// attempt's ETA and exact arguments) and the result backend's `celery-task-meta-<id>` records
/// (state, exception, traceback, and with `result_extended` the name, arguments, worker and retries).
/// Pure value; `MonitorState.mergeBackfill(_:)` decides what it may change.
/// Invariants: `readAt` is when the source was read (epoch seconds, from the runtime's clock);
/// `retries` is nil when the source does not say (a result record without `result_extended`).
public struct BackfilledTask: Sendable, Equatable {
    public var id: String
    public var source: TaskSource
    public var name: String?
    public var retries: Int?
    /// The message's ETA: for a held retry, when its attempt is due.
    public var eta: Double?
    /// Exact arguments as JSON text (array and object), when the source has them.
    public var args: String?
    public var kwargs: String?
    public var queue: String?
    public var priority: Int?
    /// The state the result backend stored (nil for message sources).
    public var state: TaskState?
    /// The exception in Celery's event form, `Type('message')`.
    public var exception: String?
    public var traceback: String?
    /// `date_done` of a result record (null for RETRY).
    public var dateDone: Double?
    public var worker: String?
    /// When the attempt started on `worker` (`time_start` of an `inspect active` reply).
    public var started: Double?
    /// A held message whose ETA lies beyond the broker's visibility timeout: kombu will restore it to
    /// its queue before the ETA, and the task will run more than once (`docs/celery-wire.md`, "Backfill: what a late starter can read").
    public var redeliveryExpected: Bool
    public var readAt: Double

    public init(
        id: String, source: TaskSource, name: String? = nil, retries: Int? = nil, eta: Double? = nil,
        args: String? = nil, kwargs: String? = nil, queue: String? = nil, priority: Int? = nil, state: TaskState? = nil,
        exception: String? = nil, traceback: String? = nil, dateDone: Double? = nil, worker: String? = nil,
        started: Double? = nil, redeliveryExpected: Bool = false, readAt: Double
    ) {
        self.id = id
        self.source = source
        self.name = name
        self.retries = retries
        self.eta = eta
        self.args = args
        self.kwargs = kwargs
        self.queue = queue
        self.priority = priority
        self.state = state
        self.exception = exception
        self.traceback = traceback
        self.dateDone = dateDone
        self.worker = worker
        self.started = started
        self.redeliveryExpected = redeliveryExpected
        self.readAt = readAt
    }

    /// An `inspect revoked` entry: only the id, which the workers will discard (docs/celery-wire.md,
    /// "Revoked ids: a held message of one never runs").
    public static func revokedByWorkers(_ id: String, readAt: Double) -> BackfilledTask {
        BackfilledTask(id: id, source: .inspect, state: .revoked, readAt: readAt)
    }

    /// Whether this is an `inspect revoked` entry rather than a task a worker holds.
    public var isRevokedEntry: Bool { source == .inspect && state == .revoked }

    /// The attempt this fact is about (`retries + 1`), nil when the source does not say.
    public var attemptNumber: Int? { retries.map { max(0, $0) + 1 } }

    /// The same fact without the bulky text the record keeps elsewhere (arguments, traceback).
    var trimmed: BackfilledTask {
        var copy = self
        copy.args = nil
        copy.kwargs = nil
        copy.traceback = nil
        return copy
    }
}
