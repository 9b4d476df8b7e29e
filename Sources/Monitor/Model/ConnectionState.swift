/// The state of the link to the broker, as the subscriber reports it.
///
/// It is part of the model so the dashboard and the JSON snapshot can show it, including
/// every window in which events may have been missed (pub/sub has no replay).
/// Bound: `gaps` keeps the last `ConnectionState.maxGaps` windows.
public struct ConnectionState: Sendable, Equatable, Codable {
    public enum Phase: String, Sendable, Equatable, Codable {
        case connecting
        case connected
        /// Subscribed, but the broker has not answered (not even a PING) for a while; a gap is open.
        case stalled
        case reconnecting
        case stopped
    }

    /// A window in which events may have been lost: the subscriber was not subscribed, the broker
    /// stopped answering (`stalled`), or Redis dropped the subscriber (a slow consumer). `to` is nil
    /// while the window is still open.
    public struct Gap: Sendable, Equatable, Codable {
        public var from: Double
        public var to: Double?
        public var reason: String
        public init(from: Double, to: Double?, reason: String) {
            self.from = from
            self.to = to
            self.reason = reason
        }
    }

    /// How the bytes travel: plain, or TLS with or without verification of the server.
    public enum Transport: String, Sendable, Equatable, Codable {
        case plain
        case tls
        /// TLS with `ssl_cert_reqs=none`: encrypted, but the server's identity is not checked.
        case tlsUnverified = "tls-unverified"
    }

    public static let maxGaps = 50

    public var phase: Phase
    /// Epoch seconds at which `phase` began.
    public var since: Double
    /// Reconnect attempt number while `phase == .reconnecting` (1-based), else 0.
    public var attempt: Int
    /// Why the last disconnect happened, or the last connect error.
    public var reason: String?
    /// The broker URL with the password redacted.
    public var redactedURL: String
    /// The channel pattern subscribed to.
    public var pattern: String
    /// Reconnections so far.
    public var reconnects: Int
    public var gaps: [Gap]
    public var transport: Transport
    /// Through Sentinel: the master reached ("host:port"); nil for a direct URL or before the first connect.
    public var master: String?
    /// Through Sentinel: the last master change followed; nil when none happened.
    public var lastFailover: Failover?

    public init(
        phase: Phase = .connecting, since: Double = 0, attempt: Int = 0, reason: String? = nil,
        redactedURL: String = "", pattern: String = "", reconnects: Int = 0, gaps: [Gap] = [],
        transport: Transport = .plain
    ) {
        self.transport = transport
        self.phase = phase
        self.since = since
        self.attempt = attempt
        self.reason = reason
        self.redactedURL = redactedURL
        self.pattern = pattern
        self.reconnects = reconnects
        self.gaps = gaps
    }
}
