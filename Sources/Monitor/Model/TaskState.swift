/// Celery's task state names, used both for a task and for the outcome of one attempt.
public enum TaskState: String, Sendable, Equatable, Hashable, CaseIterable, Codable, Comparable {
    case pending = "PENDING"
    case received = "RECEIVED"
    case started = "STARTED"
    case retry = "RETRY"
    case success = "SUCCESS"
    case failure = "FAILURE"
    case revoked = "REVOKED"
    case rejected = "REJECTED"

    /// Finished states never change again, except that a revoke can still land on a pending retry.
    public var isFinished: Bool {
        switch self {
        case .success, .failure, .revoked, .rejected: true
        default: false
        }
    }

    /// Display order: the storm first.
    public var order: Int {
        switch self {
        case .received: 0
        case .started: 1
        case .retry: 2
        case .success: 3
        case .failure: 4
        case .revoked: 5
        case .rejected: 6
        case .pending: 7
        }
    }

    public static func < (lhs: TaskState, rhs: TaskState) -> Bool { lhs.order < rhs.order }

    /// By case, not by the raw String (the fold counts states per event; hashing "RETRY" each time cost
    /// more than the count).
    public func hash(into hasher: inout Hasher) { hasher.combine(order) }

    /// What `Dictionary` and `Set` hash with: the case mixed with the table's seed (as `TaskKey` does).
    /// `countsByState` is keyed by state on every state change, and a SipHash round for it cost more than the count.
    public func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: TaskKey.mix(UInt64(order), 0, seed: seed))
    }
}
