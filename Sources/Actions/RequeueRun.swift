import Monitor

/// A requeue in progress: read its progress, pause, resume or abort it.
///
/// Why a protocol: the dashboard holds a run it can poll each frame and control from keys; tests use a
/// fake (`ScriptedRequeueRun` in TestSupport). Implementations are thread-safe: every method may be called from any thread.
public protocol RequeueRun: AnyObject, Sendable {
    /// A consistent snapshot.
    var progress: RequeueProgress { get }
    /// Stops sending after the current message until `resume()`; the pace restarts without a burst.
    func pause()
    func resume()
    /// Stops for good; tasks not yet sent stay unsent and are not counted as done.
    func abort()
    /// Blocks until finished or `timeout` seconds pass; returns whether it finished.
    @discardableResult
    func wait(timeout: Double) -> Bool
}
