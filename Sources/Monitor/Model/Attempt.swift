/// One execution attempt of a task: attempt `number` is the message with `retries == number - 1`.
///
/// Attempts are first-class because a retry storm is a story of attempts: who ran each, how long, what
/// it raised, and how long the backoff waited before the next (`retryAt - ended`).
public struct Attempt: Sendable, Equatable {
    /// 1-based; Celery's `retries` + 1.
    public var number: Int
    public var worker: String?
    public var received: Double?
    public var started: Double?
    public var ended: Double?
    /// A Celery state name once the attempt is over (`RETRY`, `SUCCESS`, `FAILURE`, `REVOKED`, `REJECTED`).
    public var outcome: TaskState?
    public var exception: String?
    public var runtime: Double?
    /// This attempt's own ETA (the backoff target it waited for), when it had one.
    public var eta: Double?
    /// When the next attempt is due: the `eta` of the following attempt's message.
    public var retryAt: Double?

    // The sender's clock at each step, to attribute later events to the right attempt.
    var receivedClock: Int = -1
    var startedClock: Int = -1
    var endedClock: Int = -1

    public init(number: Int, worker: String? = nil) {
        self.number = number
        self.worker = worker
    }

    public var isInFlight: Bool { outcome == nil }

    /// The time spent waiting in backoff after this attempt, when both ends are known.
    public var backoffWait: Double? {
        guard let retryAt, let ended else { return nil }
        return max(0, retryAt - ended)
    }
}
