import Monitor

/// A requeue asked for by a key or the CLI: the tasks, where to send them and how fast.
public struct RequeueRequest: Sendable, Equatable {
    public var subjects: [RequeueSubject]
    public var pace: RequeuePace
    /// Send every copy to this queue instead of the original one.
    public var queueOverride: String?

    public init(subjects: [RequeueSubject], pace: RequeuePace = .default, queueOverride: String? = nil) {
        self.subjects = subjects
        self.pace = pace
        self.queueOverride = queueOverride
    }
}
