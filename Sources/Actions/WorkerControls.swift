import Monitor

/// The port through which the dashboard changes what workers do: rate limits and consumed queues.
///
/// Why: the dashboard's keys and `retrytop rate-limit|consumers` must run the same code; the production
/// implementation (`WorkerControl` in Runtime) talks to the broker. Calls block for up to `timeout` per
/// round trip (read before, send, read back), so a UI calls them off its draw thread. In read-only mode
/// it throws `ActionError.readOnly` and sends nothing; each change is audited before it is sent.
public protocol WorkerControls: AnyObject, Sendable {
    /// Reads the current values (for `.apply`), sends the change, awaits the replies, reads back.
    func perform(_ request: WorkerChangeRequest, timeout: Double) throws(ActionError) -> WorkerChangeResult
}
