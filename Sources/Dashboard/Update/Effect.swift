import Monitor

/// Work `update` asks the runtime to do at the edge; results come back as `Message.commandFinished`.
///
/// Values, not closures, so tests compare them with `==`. The request types are Monitor's, the same
/// ones the `TaskActions` port and the `retrytop revoke|requeue` commands take. Dangerous effects
/// (revoke, requeue) are only ever emitted by accepting a `Confirmation`.
public enum Effect: Sendable, Equatable {
    /// Broadcast a revoke (with terminate and its signal when asked): `TaskActions.revoke`.
    case revoke(RevokeRequest)
    /// Requeue with exact arguments at the request's pace: `TaskActions.previewRequeue` then
    /// `startRequeue`; progress comes back as `.requeueProgress`.
    case requeue(RequeueRequest)
    /// Ask the workers for their tasks' retry policies: `TaskActions.discoverRetryPolicies`.
    case inspectPolicies
    /// Leave: restore the terminal and exit.
    case quit

    /// True for effects that change the deployment.
    public var isDangerous: Bool {
        switch self {
        case .revoke, .requeue: true
        case .inspectPolicies, .quit: false
        }
    }
}
