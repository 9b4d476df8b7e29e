/// The parameters of one generated storm; the same configuration always yields the same bytes.
///
/// `events` is a target: the generator plans whole task histories until the budget is reached, so the
/// real count (reported by the storm) lands within one task history of it. `rate` only sets how much
/// simulated time the storm spans (events / rate seconds), which decides how many heartbeats there are.
public struct StormConfiguration: Sendable, Equatable {
    public var events: Int
    public var tasks: Int
    public var workers: Int
    public var batch: BatchMix
    public var seed: UInt64
    public var rate: Double
    /// Epoch seconds of the first event; fixed so the storm never depends on the wall clock.
    public var startEpoch: Double
    /// Share of tasks that fail for good after their retries (the rest succeed).
    public var failureShare: Double
    /// Chance that the next attempt of a task is reserved by a different worker.
    public var moveShare: Double
    /// Retries per task are drawn from 0 to this bound (also capped by the event budget).
    public var maxRetries: Int

    public init(
        events: Int = 200_000, tasks: Int = 20_000, workers: Int = 8, batch: BatchMix = .celery, seed: UInt64 = 1,
        rate: Double = 100_000, startEpoch: Double = 1_795_696_200, failureShare: Double = 0.3,
        moveShare: Double = 0.35, maxRetries: Int = 8
    ) {
        self.events = events
        self.tasks = tasks
        self.workers = workers
        self.batch = batch
        self.seed = seed
        self.rate = rate
        self.startEpoch = startEpoch
        self.failureShare = failureShare
        self.moveShare = moveShare
        self.maxRetries = maxRetries
    }

    /// Simulated seconds the storm spans.
    public var span: Double { Double(max(1, events)) / max(1, rate) }
}
