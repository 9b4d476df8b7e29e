import Monitor

/// What a revoke broadcast reached.
public struct RevokeOutcome: Sendable, Equatable {
    public var request: RevokeRequest
    /// Subscribers of the pidbox channel that got the command (0: no worker is listening).
    public var receivers: Int
    /// Per-node reply text, when replies were collected (`tasks {…} flagged as revoked`, `terminate: …`).
    public var replies: [String: String]
    /// The broker error, when sending failed.
    public var error: String?

    public init(request: RevokeRequest, receivers: Int = 0, replies: [String: String] = [:], error: String? = nil) {
        self.request = request
        self.receivers = receivers
        self.replies = replies
        self.error = error
    }

    public var succeeded: Bool { error == nil }
}
