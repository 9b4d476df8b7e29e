import Actions
import Monitor

/// What came of an `Effect`, reported back by the runtime through `Message.commandFinished`.
public enum CommandResult: Sendable, Equatable {
    /// A revoke broadcast went out (or failed: `outcome.error`).
    case revoked(RevokeOutcome)
    /// The dry run of a requeue: what would be sent, from which sources, what is refused.
    case requeuePreview(RequeuePreview)
    /// A snapshot of a running or finished requeue; each new copy is linked to its original.
    case requeueProgress(RequeueProgress)
    /// The workers' answers to one rate limit or consumer change, with the values read before and after.
    case workersChanged(WorkerChangeResult)
    /// A rate limit or consumer change that could not be sent (read-only, broker down, audit log).
    case workerChangeFailed(WorkerChangeRequest, String)
    /// Retry policies by task name from `inspect registered`.
    case policies([String: RetryPolicy])
    /// One worker's answer to the worker view's inspection.
    case workerInspection(WorkerInspection)
    /// An effect failed as a whole (read-only, broker down, timeout); `action` is its `Effect.actionName`.
    case failed(action: String, message: String)
}
