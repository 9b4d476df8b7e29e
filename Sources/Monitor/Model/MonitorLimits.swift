/// The bounds of every collection the fold grows from input. Memory is flat once they are reached.
public struct MonitorLimits: Sendable, Equatable {
    /// Tasks tracked; past this, tasks are evicted by value (`EvictionClass`): pending-only (sent, never
    /// received), then succeeded, then revoked or rejected, then in flight, each oldest first; failed and
    /// retrying tasks only when nothing else is left.
    public var maxTasks: Int
    /// Failed and retrying tasks tracked (they count toward `maxTasks` too); past this, the oldest of them
    /// are evicted. Half of `maxTasks` by default, so a storm of failures still leaves room for the rest.
    public var maxFailedOrRetryingTasks: Int
    /// Attempts kept per task (the first and the most recent).
    public var maxAttemptsPerTask: Int
    /// Workers tracked; past this, the longest-silent worker is dropped.
    public var maxWorkers: Int
    /// Task names with their own rate counters; past this, rates count under `maxTaskNamesOverflow`.
    public var maxTaskNames: Int
    /// Bytes of traceback text kept; past this, the oldest tracebacks are dropped. 16 MiB by default
    /// (about 10,000 tracebacks of 1–2 KB: every failing attempt of a storm's newest thousands of tasks).
    public var maxTracebackBytes: Int
    /// Exception groups tracked for the exceptions view.
    public var maxExceptionGroups: Int
    /// Recently failed-for-good task ids remembered for the failed pane.
    public var maxRecentFailures: Int

    public static let maxTaskNamesOverflow = "(other names)"

    public init(
        maxTasks: Int = 100_000, maxAttemptsPerTask: Int = 32, maxWorkers: Int = 1_000, maxTaskNames: Int = 500,
        maxTracebackBytes: Int = 16 << 20, maxExceptionGroups: Int = 1_000, maxRecentFailures: Int = 1_000,
        maxFailedOrRetryingTasks: Int? = nil
    ) {
        self.maxTasks = maxTasks
        self.maxFailedOrRetryingTasks = max(1, maxFailedOrRetryingTasks ?? maxTasks / 2)
        self.maxAttemptsPerTask = maxAttemptsPerTask
        self.maxWorkers = maxWorkers
        self.maxTaskNames = maxTaskNames
        self.maxTracebackBytes = maxTracebackBytes
        self.maxExceptionGroups = maxExceptionGroups
        self.maxRecentFailures = maxRecentFailures
    }
}
