/// Counters about the fold itself, shown to the user and in the snapshot's `stats`.
public struct FoldStats: Sendable, Equatable, Codable {
    public var events = 0
    public var taskEvents = 0
    public var workerEvents = 0
    /// Task events for a task whose earlier events were never seen (joined mid-stream).
    public var orphanEvents = 0
    /// Events that arrived after a later attempt had already begun (the cross-worker ordering trap).
    public var lateEvents = 0
    /// Tasks evicted by the task bounds, all states together (`evictedByState` breaks it down).
    public var evictedTasks = 0
    /// Tasks evicted, by the state they were in: failed or retrying ones here mean the bounds were too small
    /// for the storm (`MonitorLimits.maxFailedOrRetryingTasks`, `maxTasks`).
    public var evictedByState: [TaskState: Int] = [:]
    public var droppedAttempts = 0
    public var evictedWorkers = 0
    public var droppedTracebacks = 0
    /// `inspect revoked` ids not kept at start because `MonitorState.maxRevokedAtStart` was reached.
    public var revokedAtStartDropped = 0

    /// Failed and retrying tasks evicted: the ones people come to requeue, so shown on their own.
    public var evictedFailedOrRetrying: Int { (evictedByState[.failure] ?? 0) + (evictedByState[.retry] ?? 0) }

    public init() {}
}
