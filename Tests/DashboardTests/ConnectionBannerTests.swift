import Dashboard
import Monitor
import TerminalUI
import Testing

/// What the header says about the link to the broker, from the model's `ConnectionState`.
@Suite struct ConnectionBannerTests {
    static func screen(_ connection: ConnectionState, now: Double = 1_795_700_000) -> String {
        var state = AppState(width: 120, height: 36, now: now)
        _ = update(&state, .connection(connection))
        _ = update(&state, .tick(now: now))
        return Dashboard.renderFrame(state: state).plainText()
    }

    @Test func aFirstConnectionThatKeepsFailingSaysWhy() {
        let connection = ConnectionState(
            phase: .connecting, since: 1_795_699_990, attempt: 3, reason: "connect to 127.0.0.1:1 failed: Connection refused",
            redactedURL: "redis://:***@127.0.0.1:1/0", pattern: "/0.celeryev/*")
        let text = Self.screen(connection)
        #expect(text.contains("CANNOT CONNECT to redis://:***@127.0.0.1:1/0"))
        #expect(text.contains("attempt 3: connect to 127.0.0.1:1 failed: Connection refused"))
    }

    @Test func connectingWithoutAFailureYetShowsNoBanner() {
        let text = Self.screen(ConnectionState(phase: .connecting, since: 1_795_699_999, redactedURL: "redis://h:6379/0"))
        #expect(!text.contains("CANNOT CONNECT"))
        #expect(text.contains("connecting"))
    }

    @Test func reconnectingShowsTheGapAndReason() {
        let connection = ConnectionState(
            phase: .reconnecting, since: 1_795_699_988, attempt: 2, reason: "connection closed by the server",
            redactedURL: "redis://h:6379/0", reconnects: 0,
            gaps: [.init(from: 1_795_699_988, to: nil, reason: "connection closed by the server")])
        let text = Self.screen(connection)
        #expect(text.contains("RECONNECTING attempt 2"))
        #expect(text.contains("events may be missed (gap 12s)") || text.contains("events may be missed (gap 0:12)"))
        #expect(text.contains("connection closed by the server"))
    }

    @Test func unverifiedTLSIsSaidInTheHeaderAndVerifiedTLSIsNot() {
        let unverified = Self.screen(ConnectionState(
            phase: .connected, since: 1_795_699_990, redactedURL: "rediss://:***@redis.example.com:6380/0?ssl_cert_reqs=none",
            transport: .tlsUnverified))
        #expect(unverified.contains("TLS UNVERIFIED"))
        let verified = Self.screen(ConnectionState(
            phase: .connected, since: 1_795_699_990, redactedURL: "rediss://:***@redis.example.com:6380/0", transport: .tls))
        #expect(!verified.contains("UNVERIFIED"))
        #expect(!Self.screen(ConnectionState(phase: .connected, since: 1_795_699_990, redactedURL: "redis://h:6379/0")).contains("TLS"))
    }

    @Test func aFailedCertificateVerificationIsTheBannerReason() {
        let reason = "TLS to redis.example.com:6380 failed: certificate verify failed: self-signed certificate in certificate chain "
            + "(verified against CA file /etc/ca.pem)"
        let state = ConnectionState(
            phase: .connecting, since: 1_795_699_990, attempt: 2, reason: reason,
            redactedURL: "rediss://redis.example.com:6380/0", transport: .tls)
        var app = AppState(width: 400, height: 36, now: 1_795_700_000)
        _ = update(&app, .connection(state))
        _ = update(&app, .tick(now: 1_795_700_000))
        #expect(Dashboard.renderFrame(state: app).plainText().contains("attempt 2: \(reason)"))
    }
}
