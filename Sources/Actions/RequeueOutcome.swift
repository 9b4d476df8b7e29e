import Monitor

/// What happened to one task of a requeue.
public struct RequeueOutcome: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        /// A new message was pushed; `newID` is its task id.
        case sent
        /// Not sent: no exact arguments (see `detail`).
        case refused
        /// Sending failed (the broker error is in `detail`).
        case failed
    }

    public var originalID: String
    public var status: Status
    public var newID: String?
    public var name: String?
    public var source: ArgumentSource?
    public var queue: String?
    public var detail: String?
    /// Seconds since the run started (sends only).
    public var at: Double?

    public init(
        originalID: String, status: Status, newID: String? = nil, name: String? = nil, source: ArgumentSource? = nil,
        queue: String? = nil, detail: String? = nil, at: Double? = nil
    ) {
        self.originalID = originalID
        self.status = status
        self.newID = newID
        self.name = name
        self.source = source
        self.queue = queue
        self.detail = detail
        self.at = at
    }
}
