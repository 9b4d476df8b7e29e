import Monitor

/// What one generated task really did: how it ended, how often it was retried, how many attempts ran.
public struct TaskTruth: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// `.success` or `.failure`.
    public var state: TaskState
    public var retries: Int
    public var attempts: Int
    /// The worker of each attempt, in order.
    public var workers: [String]
}
