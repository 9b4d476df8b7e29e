/// Everything known about one task id, folded from its events, with its attempts in order.
///
/// Bound: at most `MonitorLimits.maxAttemptsPerTask` attempts are kept (the first one and the most recent
/// ones); `droppedAttempts` counts the rest. Tracebacks live in `MonitorState`'s bounded traceback store.
public struct TaskRecord: Sendable, Equatable {
    public let id: String
    public var name: String?
    public var args: String?
    public var kwargs: String?
    public var queue: String?
    public var routingKey: String?
    public var exchange: String?
    public var rootID: String?
    public var parentID: String?
    public var state: TaskState
    /// Retries so far: the highest `retries` seen in a message of this task.
    public var retries: Int
    /// The worker of the latest attempt.
    public var worker: String?
    public var eta: Double?
    public var expires: Double?
    public var result: String?
    public var firstSeen: Double
    public var lastUpdate: Double
    public var attempts: [Attempt]
    public var droppedAttempts: Int = 0
    /// Set once `task-revoked` arrives.
    public var revocation: Revocation?
    /// Links made by requeue actions.
    public var requeuedAs: String?
    public var requeueOf: String?
    /// A revoke sent from here, not yet confirmed by `task-revoked`.
    public var revokeSentAt: Double?

    public struct Revocation: Sendable, Equatable {
        public var terminated: Bool
        public var signum: Int?
        public var expired: Bool
        public var at: Double
    }

    public init(id: String, firstSeen: Double) {
        self.id = id
        self.state = .pending
        self.retries = 0
        self.firstSeen = firstSeen
        self.lastUpdate = firstSeen
        self.attempts = []
    }

    /// An empty record swapped into a dictionary slot while the fold changes the real one in place.
    static let placeholder = TaskRecord(id: "", firstSeen: 0)

    public var lastAttempt: Attempt? { attempts.last }

    /// The exception of the most recent attempt that raised one.
    public var lastException: String? {
        attempts.last(where: { $0.exception != nil })?.exception
    }

    /// When the next attempt is due, while the task waits in backoff.
    public var nextAttemptAt: Double? {
        guard state == .retry, let last = attempts.last, last.started == nil else { return nil }
        return last.eta ?? attempts.dropLast().last?.retryAt
    }

    /// When the wait that ends at `nextAttemptAt` began (the previous attempt's end).
    public var backoffStartedAt: Double? {
        guard state == .retry, attempts.count >= 2 else { return nil }
        let previous = attempts[attempts.count - 2]
        return previous.ended ?? attempts.last?.received
    }
}
