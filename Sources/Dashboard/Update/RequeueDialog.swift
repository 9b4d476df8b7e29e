import Actions
import Monitor

/// What a requeue dialog was built from: the port's whole preview (repeats included), the pending
/// request, and whether tasks already requeued are sent again.
///
/// Why: repair once. The dialog skips tasks already requeued by default; `f` rebuilds it from this
/// value with `force`, without asking the port again, so what `y` sends is still what was shown.
public struct RequeueDialog: Sendable, Equatable {
    public var preview: RequeuePreview
    public var pending: PendingRequeue
    public var force: Bool

    public init(preview: RequeuePreview, pending: PendingRequeue, force: Bool) {
        self.preview = preview
        self.pending = pending
        self.force = force
    }

    /// True when some tasks are skipped as already requeued and `f` would send them.
    public var offersForce: Bool { !force && !preview.repeats.isEmpty }
}
