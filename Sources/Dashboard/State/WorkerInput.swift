import Monitor

/// The one-line prompt of a throttling command: the rate for a task name, or the queue to stop or resume.
///
/// Why: a rate limit needs a value and a consumer change a queue; the prompt starts with a sensible
/// default (`10/m`, the task's queue) so Enter alone gets to the confirmation.
public struct WorkerInput: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A rate for this task name.
        case rateLimit(task: String)
        /// A queue to stop consuming (`+queue` resumes it).
        case consumer
    }

    public var kind: Kind
    public var draft: String
    /// nil: every worker.
    public var destination: [String]?

    /// The rate the prompt starts with.
    public static let defaultRate = "10/m"

    public init(kind: Kind, draft: String, destination: [String]?) {
        self.kind = kind
        self.draft = draft
        self.destination = destination
    }
}
