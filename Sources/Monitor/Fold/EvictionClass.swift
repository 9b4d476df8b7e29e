/// What a task is worth keeping, by its state: the fold evicts whole classes in this order.
///
/// Why: the bound on tasks must throw away what nobody comes for first. A flood of `task-sent` events (a
/// large enqueue with `task_send_sent_event`) or of successes must not push out the failed and retrying
/// tasks people open retrytop to inspect and requeue. Order (`rawValue`): pending-only tasks (sent, never
/// received), succeeded, other finished (revoked, rejected), in flight (received, started), and last the
/// failed and retrying ones, which also have their own bound (`MonitorLimits.maxFailedOrRetryingTasks`).
enum EvictionClass: Int, Sendable, CaseIterable {
    case pendingOnly
    case succeeded
    case otherFinished
    case inFlight
    case failedOrRetrying

    init(_ state: TaskState) {
        switch state {
        case .pending: self = .pendingOnly
        case .success: self = .succeeded
        case .revoked, .rejected: self = .otherFinished
        case .received, .started: self = .inFlight
        case .failure, .retry: self = .failedOrRetrying
        }
    }
}
