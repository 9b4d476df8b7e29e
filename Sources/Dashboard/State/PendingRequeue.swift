import Actions
import Monitor

/// A requeue asked for with `R` or `A` whose dry-run preview the runtime is still computing.
///
/// Why: the confirmation dialog must show what the port found (sources, refusals, duplicates), so
/// the key only emits `Effect.previewRequeue`; this remembers what was asked until the answer comes
/// back as `CommandResult.requeuePreview` and the dialog opens. At most one exists at a time.
public struct PendingRequeue: Sendable, Equatable {
    /// What the port was asked to preview; its `pace` is the pace `y` will send at.
    public var request: RequeueRequest
    /// How the targets were chosen, for the dialog: "marked", "every failed task of tasks.x"; nil for one selected task.
    public var scope: String?

    public init(request: RequeueRequest, scope: String?) {
        self.request = request
        self.scope = scope
    }
}
