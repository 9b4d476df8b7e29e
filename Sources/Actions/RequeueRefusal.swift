import Monitor

/// Why a task will not be requeued, and what would make an exact requeue possible.
public struct RequeueRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var id: String
    /// What was tried and failed, one clause per source.
    public var reason: String
    /// How to enable exact requeue next time.
    public var remedy: String

    public static let enableExactRequeue =
        "to requeue exactly, run the workers with result_extended=True and a Redis result backend and pass "
        + "--result-backend URL (or set CELERY_RESULT_BACKEND), or requeue while the task still waits in "
        + "backoff (its message is then in the queue or in unacked)"

    public init(id: String, reason: String, remedy: String = RequeueRefusal.enableExactRequeue) {
        self.id = id
        self.reason = reason
        self.remedy = remedy
    }

    public var description: String { "\(id): \(reason); \(remedy)" }
}
