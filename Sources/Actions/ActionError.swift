import Monitor

/// Why an action was not carried out.
public enum ActionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--read-only` is on.
    case readOnly
    /// The broker could not be reached or answered with an error.
    case broker(String)
    /// The request itself is wrong (no ids, unknown signal).
    case invalid(String)
    /// The action's audit record could not be written, so nothing was sent.
    case auditUnwritable(AuditTrailError)

    public static let readOnlyMessage =
        "retrytop is in read-only mode (--read-only): revoke, terminate and requeue are disabled and nothing was sent"

    public var description: String {
        switch self {
        case .readOnly: ActionError.readOnlyMessage
        case .broker(let message): "broker error: \(message)"
        case .invalid(let message): message
        case .auditUnwritable(let error): "\(error); nothing was sent (every action is recorded before it is sent)"
        }
    }
}
