import Actions
import Foundation
import Monitor

/// A fake `TaskActions` (the action port): records every call and answers from the test's script;
/// nothing is sent anywhere.
public final class ScriptedTaskActions: TaskActions, @unchecked Sendable {
    private let lock = NSLock()
    private var revokes: [RevokeRequest] = []
    private var previews: [RequeueRequest] = []
    private var starts: [(RequeuePreview, RequeuePace)] = []
    private var policyCalls = 0
    private var inspections: [String] = []
    /// The run `startRequeue` hands out.
    public let run: ScriptedRequeueRun
    /// Receivers reported for every revoke.
    public let receivers: Int
    /// What `discoverRetryPolicies` answers; nil throws a broker error.
    public let policies: [String: RetryPolicy]?

    public init(run: ScriptedRequeueRun = ScriptedRequeueRun(total: 0), receivers: Int = 2, policies: [String: RetryPolicy]? = [:]) {
        self.run = run
        self.receivers = receivers
        self.policies = policies
    }

    public var revokeRequests: [RevokeRequest] { lock.withLock { revokes } }
    public var previewRequests: [RequeueRequest] { lock.withLock { previews } }
    public var startedPaces: [RequeuePace] { lock.withLock { starts.map(\.1) } }
    public var policyRequests: Int { lock.withLock { policyCalls } }
    /// The workers `inspectWorker` was asked about, in order.
    public var inspectedWorkers: [String] { lock.withLock { inspections } }

    public func revoke(_ request: RevokeRequest) throws(ActionError) -> RevokeOutcome {
        lock.withLock { revokes.append(request) }
        return RevokeOutcome(request: request, receivers: receivers)
    }

    public func previewRequeue(_ request: RequeueRequest) throws(ActionError) -> RequeuePreview {
        lock.withLock { previews.append(request) }
        throw .invalid("the scripted port previews nothing")
    }

    public func startRequeue(_ preview: RequeuePreview, pace: RequeuePace) throws(ActionError) -> any RequeueRun {
        lock.withLock { starts.append((preview, pace)) }
        return run
    }

    public func discoverRetryPolicies(timeout: Double) throws(ActionError) -> [String: RetryPolicy] {
        lock.withLock { policyCalls += 1 }
        guard let policies else { throw .broker("no worker answered") }
        return policies
    }

    /// Answers an empty inspection of `hostname` (no pool, no tasks, no queues): the loop tests check the round trip.
    public func inspectWorker(_ hostname: String, timeout: Double) throws(ActionError) -> WorkerInspection {
        lock.withLock { inspections.append(hostname) }
        return WorkerInspection(hostname: hostname)
    }
}
