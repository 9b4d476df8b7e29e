/// Why a one-shot command (`snapshot`, `events`) never reached Redis, as one line and an exit status.
///
/// Why: a headless command that cannot connect must not print an empty document and exit 0; scripts
/// need a status to branch on and a person needs the cause. The subscriber keeps only the text of its
/// last error (`ConnectionState.reason`, the `RedisError` description), so the cause is read back from
/// the prefixes `RedisError.description` writes; tests pin those prefixes to the real descriptions.
///
/// Statuses follow sysexits.h: 69 (`EX_UNAVAILABLE`) nothing answers or no answer in time, 76
/// (`EX_PROTOCOL`) something answers that is not Redis, 77 (`EX_NOPERM`) Redis refused the password, 78
/// (`EX_CONFIG`) the TLS set-up failed (certificate verification, CA file, client certificate): the user's
/// TLS options, not the server's availability.
public struct NeverConnected: Sendable, Equatable, CustomStringConvertible {
    public enum Cause: String, Sendable, Equatable {
        case refused
        case notRedis
        case authentication
        case unavailable
        case tls
    }

    public var cause: Cause
    /// The whole line for stderr, naming the redacted URL and the underlying error.
    public var line: String

    /// Classifies the subscriber's last error text (nil: no attempt finished within the wait).
    public init(reason: String?, redactedURL: String, waited seconds: Double) {
        guard let reason, !reason.isEmpty else {
            cause = .unavailable
            line = "retrytop: never connected to \(redactedURL): no answer within \(Self.seconds(seconds))"
            return
        }
        let lowered = reason.lowercased()
        if reason.hasPrefix(Self.tlsPrefix) {
            cause = .tls
            line = "retrytop: never connected to \(redactedURL): \(reason)"
        } else if lowered.contains("connection refused") {
            cause = .refused
            line = "retrytop: never connected to \(redactedURL): connection refused (is Redis running there?)"
        } else if reason.hasPrefix(Self.protocolPrefix) || reason.hasPrefix(Self.unexpectedPrefix)
                    || (reason.hasPrefix(Self.closedPrefix) && !lowered.contains("stopping")) {
            cause = .notRedis
            line = "retrytop: never connected to \(redactedURL): "
                + (reason.hasPrefix(Self.protocolPrefix) ? reason : "this port does not speak Redis (\(reason))")
        } else if reason.hasPrefix(Self.authenticationPrefix) || lowered.contains("requires a password")
                    || lowered.contains("noauth") || lowered.contains("wrongpass") {
            cause = .authentication
            line = "retrytop: never connected to \(redactedURL): authentication failed: \(reason)"
        } else {
            cause = .unavailable
            line = "retrytop: never connected to \(redactedURL): \(reason)"
        }
    }

    /// The process exit status for this cause.
    public var exitStatus: Int32 {
        switch cause {
        case .refused, .unavailable: return 69
        case .notRedis: return 76
        case .authentication: return 77
        case .tls: return 78
        }
    }

    public var description: String { line }

    // The prefixes of `RedisError.description` this reads (see the tests that pin them).
    static let protocolPrefix = "this port does not speak Redis"
    static let unexpectedPrefix = "unexpected Redis reply:"
    static let closedPrefix = "Redis closed the connection:"
    static let authenticationPrefix = "authentication failed"
    static let tlsPrefix = "TLS to "

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
