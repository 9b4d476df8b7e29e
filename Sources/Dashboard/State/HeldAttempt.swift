import Monitor

/// The latest attempt of a retrying task that a worker has received and holds until its ETA: the
/// worker and the ETA, all that the Workers pane's LATE column needs to know of the task.
///
/// Why: a worker takes an ETA message at once and starts it when its ETA has passed and a pool slot is
/// free, so such an attempt still waiting a second past its ETA says the worker is saturated (or a
/// rate_limit holds it). Kept per task in `TaskTimeIndex.held`, refreshed with the tasks a batch touched.
public struct HeldAttempt: Sendable, Equatable {
    public var worker: String
    /// When the attempt was due (the task's `nextAttemptAt`).
    public var due: Double

    public init(worker: String, due: Double) {
        self.worker = worker
        self.due = due
    }

    /// The held attempt of `task`, or nil when it is not due at a time, not received, or has no worker.
    /// The caller checks that the task is retrying.
    public init?(_ task: TaskRecord) {
        guard let due = task.nextAttemptAt, let attempt = task.attempts.last, attempt.received != nil,
              let worker = attempt.worker else { return nil }
        self.init(worker: worker, due: due)
    }
}
