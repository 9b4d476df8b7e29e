import Actions
import Monitor

/// The outcome of the last action, shown in a line that stays until dismissed (`o`).
///
/// Why: "sent" is not what happened. The line is rebuilt every frame from what followed: the fold's
/// task states for a revoke (`RevokeTally`) and for the copies of a requeue, the workers' replies and
/// inspect's read-back for a rate limit or consumer change. Only the latest action is kept.
public enum ActionReport: Sendable, Equatable {
    /// A revoke: the targets and their states when it was sent, counted again against the live fold.
    case revoke(RevokeTally)
    /// A requeue that ended, with how many tasks were skipped as already requeued.
    case requeue(RequeueProgress, skipped: Int)
    /// A rate limit or consumer change (applied, undone or re-applied).
    case workers(WorkerChangeResult)
}
