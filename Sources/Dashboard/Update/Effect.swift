import Actions
import Monitor

/// Work `update` asks the runtime to do at the edge; results come back as `Message.commandFinished`.
///
/// Values, not closures, so tests compare them with `==`. The request types are Monitor's, the same
/// ones the `TaskActions` port and the `retrytop revoke|requeue` commands take. Dangerous effects
/// (revoke, start of a requeue) are only ever emitted by accepting a `Confirmation`; a requeue is
/// always previewed first (`previewRequeue` sends nothing), and the dialog is built from the answer.
public enum Effect: Sendable, Equatable {
    /// Broadcast a revoke (with terminate and its signal when asked): `TaskActions.revoke`.
    case revoke(RevokeRequest)
    /// Dry run: find exact arguments and decide what would be sent: `TaskActions.previewRequeue`.
    /// The answer comes back as `.requeuePreview` and opens the confirmation dialog.
    case previewRequeue(RequeueRequest)
    /// Send exactly what was previewed at `pace`: `TaskActions.startRequeue`; progress comes back
    /// as `.requeueProgress` once a frame.
    case startRequeue(RequeuePreview, RequeuePace)
    /// Pause, resume or abort the running requeue: `RequeueRun.pause/resume/abort`.
    case pauseRequeue
    case resumeRequeue
    case abortRequeue
    /// Change what workers do (rate limit, consumed queue) through `WorkerControls.perform`, one request
    /// after the other; each answer comes back as `.workersChanged`. Emitted by a confirmed dialog, or,
    /// for changes already confirmed, when a worker comes online and gets them re-applied.
    case changeWorkers([WorkerChangeRequest])
    /// Ask the workers for their tasks' retry policies: `TaskActions.discoverRetryPolicies`.
    case inspectPolicies
    /// Hand the fold's changes of this frame to the journal writer (`JournalPort.submit`; no disk wait).
    case journal(JournalFacts)
    /// The same, on the dashboard's own schedule (`AppState.policyRefreshSeconds`): a failure is not reported.
    case refreshPolicies
    /// Ask one worker for its pool, tasks and queues: `TaskActions.inspectWorker`.
    case inspectWorker(String)
    /// Pause, step or seek the replay: `EventSource.control` (the live source ignores it).
    case replay(ReplayControl)
    /// Leave: restore the terminal and exit.
    case quit

    /// The `action` of a `.failed` result for a requeue preview or start (`update` clears the flow on them).
    public static let previewAction = "requeue preview"
    public static let requeueAction = "requeue"
    /// The `action` of a `.failed` worker inspection.
    public static let inspectWorkerAction = "worker inspection"

    /// True for effects that change the deployment.
    public var isDangerous: Bool {
        switch self {
        case .revoke, .startRequeue, .changeWorkers: true
        case .previewRequeue, .pauseRequeue, .resumeRequeue, .abortRequeue, .inspectPolicies, .refreshPolicies, .inspectWorker, .replay, .journal, .quit:
            false
        }
    }

    /// What a `.failed` result calls this effect.
    public var actionName: String {
        switch self {
        case .revoke(let request): request.terminate ? "terminate" : "revoke"
        case .previewRequeue: Effect.previewAction
        case .startRequeue: Effect.requeueAction
        case .changeWorkers(let requests): requests.first?.change.method ?? "worker change"
        case .pauseRequeue: "pause requeue"
        case .resumeRequeue: "resume requeue"
        case .abortRequeue: "abort requeue"
        case .inspectPolicies, .refreshPolicies: "retry policies"
        case .inspectWorker: Effect.inspectWorkerAction
        case .replay: "replay"
        case .journal: "journal"
        case .quit: "quit"
        }
    }
}
