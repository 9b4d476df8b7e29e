import Monitor

/// A consistent snapshot of a running requeue, for a progress bar or a final report.
///
/// Why: the executor sends on its own thread; the dashboard reads this value once a frame and the CLI
/// once at the end, so neither shares mutable state with the sender. Invariants: `done == sent +
/// refused + failed <= total`; `outcomes` holds one entry per done task, in order (bounded by `total`).
public struct RequeueProgress: Sendable, Equatable {
    public var total: Int
    public var sent: Int = 0
    public var refused: Int = 0
    public var failed: Int = 0
    public var paused = false
    public var aborted = false
    /// The sender stopped: every task is done, or the run was aborted.
    public var finished = false
    /// Seconds from the first to the latest send.
    public var sendingSeconds: Double = 0
    public var outcomes: [RequeueOutcome] = []
    /// Why the run stopped early (abort by the user, too many broker errors).
    public var stopReason: String?

    public init(total: Int) {
        self.total = total
    }

    public var done: Int { sent + refused + failed }

    /// 0...1 for a progress bar.
    public var fraction: Double { total == 0 ? 1 : Double(done) / Double(total) }

    /// Original id → new id for every sent copy (for `MonitorState.linkRequeue`).
    public var links: [(original: String, copy: String)] {
        outcomes.compactMap { outcome in outcome.newID.map { (outcome.originalID, $0) } }
    }
}
