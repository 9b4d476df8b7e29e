import Monitor

/// The port through which the dashboard and the CLI act on tasks: revoke, terminate, requeue,
/// retry-policy discovery and a worker's inspection.
///
/// Why: keys and `retrytop revoke|requeue` must run the same code; both call this protocol, and the
/// production implementation (`ActionExecutor` in CeleryLink) talks to Redis. Calls block (a revoke with
/// replies or a requeue preview waits up to the inspect timeout), so a UI calls them off its draw
/// thread. In read-only mode every method that would send throws `ActionError.readOnly`; when the
/// action's audit record cannot be written first (`AuditTrail`), it throws `ActionError.auditUnwritable`.
public protocol TaskActions: AnyObject, Sendable {
    /// Records the revoke in the audit trail, then broadcasts it (with terminate and signal when asked).
    func revoke(_ request: RevokeRequest) throws(ActionError) -> RevokeOutcome

    /// Finds exact arguments for every subject and decides what would be sent; sends nothing.
    func previewRequeue(_ request: RequeueRequest) throws(ActionError) -> RequeuePreview

    /// Starts sending a previewed requeue at `pace` on a background thread.
    func startRequeue(_ preview: RequeuePreview, pace: RequeuePace) throws(ActionError) -> any RequeueRun

    /// Asks the workers for their registered tasks' retry settings (`inspect registered`).
    func discoverRetryPolicies(timeout: Double) throws(ActionError) -> [String: RetryPolicy]

    /// Asks one worker for its pool, tasks and queues (`inspect stats`, `active`, `reserved`,
    /// `active_queues`), each request bounded by `timeout`; sends nothing that changes the worker.
    func inspectWorker(_ hostname: String, timeout: Double) throws(ActionError) -> WorkerInspection
}
