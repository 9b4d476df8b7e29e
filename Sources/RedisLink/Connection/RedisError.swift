/// Why a Redis operation failed, with the hiredis or server text and never a password.
///
/// Why: callers decide differently per kind (a subscriber reconnects on `.closed`/`.io`, a command
/// connection retries once, a wrong password is shown to the user as is), so the kinds are cases
/// rather than one string.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The TCP or unix connect failed (refused, unreachable, timed out); `endpoint` has no password.
    case connectFailed(endpoint: String, message: String)
    /// The server closed the connection (end of file).
    case closed(String)
    /// A socket error other than a timeout.
    case io(String)
    /// No reply within the read timeout. The connection has been closed, since a late reply would
    /// desynchronise it.
    case timeout(String)
    /// The server sent something hiredis could not parse.
    case protocolError(String)
    /// AUTH was refused (wrong password or user).
    case authenticationFailed(endpoint: String, message: String)
    /// The server requires a password and the URL has none.
    case authenticationRequired(endpoint: String, message: String)
    /// SELECT of the URL's database failed.
    case selectFailed(db: Int, message: String)
    /// The server answered with an error reply.
    case server(String)
    /// The reply had a shape the caller did not expect.
    case unexpectedReply(String)
    /// The operation needs a connection and there is none.
    case notConnected
    /// TLS could not be set up or was refused: the reason in OpenSSL's words (e.g. "certificate verify
    /// failed: self-signed certificate in certificate chain (verified against CA file /etc/ca.pem)").
    case tlsFailed(endpoint: String, message: String)
    /// No sentinel could name the master: each sentinel's answer or failure, in the order asked.
    case sentinelUnavailable(master: String, attempts: String)
    /// The server a sentinel named is not (or no longer) the master, e.g. during a failover; ask again.
    case notMaster(endpoint: String, role: String)

    public var description: String {
        switch self {
        case .connectFailed(let endpoint, let message): return "cannot connect to Redis at \(endpoint): \(message)"
        case .closed(let message): return "Redis closed the connection: \(message)"
        case .io(let message): return "Redis I/O error: \(message)"
        case .timeout(let message): return "Redis did not answer in time: \(message)"
        case .protocolError(let message): return "Redis protocol error: \(message)"
        case .authenticationFailed(let endpoint, let message):
            return "authentication failed for \(endpoint): \(message) (check the password in --broker / CELERY_BROKER_URL)"
        case .authenticationRequired(let endpoint, let message):
            return "Redis at \(endpoint) requires a password: \(message) (use redis://:password@host:port/db)"
        case .selectFailed(let db, let message): return "cannot select database \(db): \(message)"
        case .server(let message): return "Redis error: \(message)"
        case .unexpectedReply(let message): return "unexpected Redis reply: \(message)"
        case .notConnected: return "not connected to Redis"
        case .tlsFailed(let endpoint, let message): return "TLS to \(endpoint) failed: \(message)"
        case .sentinelUnavailable(let master, let attempts): return "no sentinel named the master '\(master)': \(attempts)"
        case .notMaster(let endpoint, let role): return "\(endpoint) is not the master (ROLE says \(role)); asking the sentinels again"
        }
    }

    /// True when the connection itself is gone, so reconnecting may help.
    public var isConnectionLoss: Bool {
        switch self {
        case .closed, .io, .notConnected, .connectFailed, .sentinelUnavailable, .notMaster: return true
        default: return false
        }
    }
}
