/// One task as the journal keeps it: identity, state and every attempt with its traceback.
///
/// Why a plain value apart from `TaskRecord`: it crosses threads (fold → writer thread) and processes
/// (journal → a later dashboard or snapshot), so it carries text, not the fold's interned entries, and
/// it is what `MonitorState.mergeJournal(_:)` takes back. Invariants: `attempts` are in `number` order,
/// at most `MonitorLimits.maxAttemptsPerTask` come back on reading (the first and the newest).
public struct JournaledTask: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var state: TaskState
    public var retries: Int
    public var args: String?
    public var kwargs: String?
    public var queue: String?
    public var worker: String?
    public var firstSeen: Double
    public var lastUpdate: Double
    public var eta: Double?
    public var revokedAt: Double?
    public var revokeTerminated: Bool
    public var requeuedAs: String?
    public var requeueOf: String?
    public var attempts: [JournaledAttempt]

    public init(
        id: String, name: String? = nil, state: TaskState, retries: Int = 0, args: String? = nil, kwargs: String? = nil,
        queue: String? = nil, worker: String? = nil, firstSeen: Double, lastUpdate: Double, eta: Double? = nil,
        revokedAt: Double? = nil, revokeTerminated: Bool = false, requeuedAs: String? = nil, requeueOf: String? = nil,
        attempts: [JournaledAttempt] = []
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.retries = retries
        self.args = args
        self.kwargs = kwargs
        self.queue = queue
        self.worker = worker
        self.firstSeen = firstSeen
        self.lastUpdate = lastUpdate
        self.eta = eta
        self.revokedAt = revokedAt
        self.revokeTerminated = revokeTerminated
        self.requeuedAs = requeuedAs
        self.requeueOf = requeueOf
        self.attempts = attempts
    }

    /// Whether a task is worth keeping after the fact: it retried, failed, was revoked or requeued.
    public static func isWorthJournaling(_ task: TaskRecord) -> Bool {
        switch task.state {
        case .retry, .failure, .revoked: return true
        default: break
        }
        return task.retries > 0 || task.attempts.count > 1 || task.revocation != nil
            || task.requeuedAs != nil || task.requeueOf != nil
    }
}

/// One attempt as journaled: every attempt field of the snapshot JSON, plus its traceback.
public struct JournaledAttempt: Sendable, Equatable {
    public var number: Int
    public var worker: String?
    public var received: Double?
    public var started: Double?
    public var ended: Double?
    public var runtime: Double?
    public var outcome: TaskState?
    public var exception: String?
    public var traceback: String?
    public var eta: Double?
    public var retryAt: Double?
    public var sent: Double?
    public var beginningUnseen: Bool

    public init(
        number: Int, worker: String? = nil, received: Double? = nil, started: Double? = nil, ended: Double? = nil,
        runtime: Double? = nil, outcome: TaskState? = nil, exception: String? = nil, traceback: String? = nil,
        eta: Double? = nil, retryAt: Double? = nil, sent: Double? = nil, beginningUnseen: Bool = false
    ) {
        self.number = number
        self.worker = worker
        self.received = received
        self.started = started
        self.ended = ended
        self.runtime = runtime
        self.outcome = outcome
        self.exception = exception
        self.traceback = traceback
        self.eta = eta
        self.retryAt = retryAt
        self.sent = sent
        self.beginningUnseen = beginningUnseen
    }

    /// The wait in backoff after this attempt (the same rule as `Attempt.backoffWait`).
    public var backoffWait: Double? {
        guard let retryAt, let ended else { return nil }
        return max(0, retryAt - ended)
    }
}
