/// A one-line message under the panes (a result, a refusal, a hint) that disappears at `expiresAt`.
public struct StatusMessage: Sendable, Equatable {
    public enum Severity: Sendable, Equatable { case info, success, warning, error }

    public var text: String
    public var severity: Severity
    /// Tick time after which the message is no longer shown.
    public var expiresAt: Double

    public init(_ text: String, severity: Severity = .info, expiresAt: Double) {
        self.text = text
        self.severity = severity
        self.expiresAt = expiresAt
    }
}
