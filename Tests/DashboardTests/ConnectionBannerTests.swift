import Dashboard
import Monitor
import TerminalUI
import TestSupport
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

    @Test func afterAReconnectTheHeaderKeepsCountingGapsOfTheLastHour() {
        let now = 1_795_700_000.0
        let connection = ConnectionState(
            phase: .connected, since: now - 30, redactedURL: "redis://h:6379/0", reconnects: 2,
            gaps: [
                .init(from: now - 7_300, to: now - 7_290, reason: "connection closed by the server"),
                .init(from: now - 900, to: now - 880, reason: ConnectionState.stalledReason),
                .init(from: now - 40, to: now - 30, reason: "connection closed by the server"),
            ])
        let text = Self.screen(connection, now: now)
        #expect(text.contains("● connected  2 gaps/1h"), "\(text.split(separator: "\n").first ?? "")")
        #expect(!text.contains("RECONNECTING"))
    }

    @Test func aStalledLinkSaysSoWithTheGapSinceTheLastReply() {
        let now = 1_795_700_000.0
        let connection = ConnectionState(
            phase: .stalled, since: now - 4, redactedURL: "redis://h:6379/0",
            gaps: [.init(from: now - 4, to: nil, reason: ConnectionState.stalledReason)])
        let text = Self.screen(connection, now: now)
        #expect(text.contains("stalled  1 gap/1h"))
        #expect(text.contains("STALLED no reply from the broker since 13:33:16"))
        #expect(text.contains("events may be missed (gap 4.0s)"))
    }

    @Test func theDetailOfATaskWhoseHistorySpansAGapSaysSo() throws {
        var state = StormFixture.appState()
        let gap = ConnectionState.Gap(from: StormFixture.start + 863, to: StormFixture.start + 883, reason: ConnectionState.stalledReason)
        _ = update(&state, .connection(ConnectionState(phase: .connected, since: StormFixture.start + 883, gaps: [gap])))
        for key in [Key.char(":")] + StormFixture.detailTaskID.prefix(8).map({ Key.char($0) }) + [.enter] {
            _ = update(&state, .key(key))
        }
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("events may be missing: gap 12:41:03–12:41:23 (stalled)"), "\(text)")

        // A task that finished before the gap opened says nothing.
        var quiet = StormFixture.appState()
        let later = ConnectionState.Gap(from: StormFixture.now - 2, to: nil, reason: "connection closed by the server")
        _ = update(&quiet, .connection(ConnectionState(phase: .reconnecting, since: StormFixture.now - 2, gaps: [later])))
        let finished = quiet.monitor.tasks.values.first { $0.state == .success && $0.lastUpdate < StormFixture.now - 60 }
        let id = try #require(finished).id
        for key in [Key.char(":")] + id.prefix(8).map({ Key.char($0) }) + [.enter] { _ = update(&quiet, .key(key)) }
        let quietText = Dashboard.renderFrame(state: quiet).plainText()
        #expect(quietText.contains(id))
        #expect(!quietText.contains("events may be missing"))
    }

    /// `Z` freezes the task panes, not the link: a disconnect while frozen shows at once.
    @Test func aDisconnectShowsWhileTheViewIsFrozen() {
        let now = 1_795_700_000.0
        var state = AppState(width: 200, height: 36, now: now)
        _ = update(&state, .connection(ConnectionState(phase: .connected, since: now - 60, redactedURL: "redis://h:6379/0")))
        _ = update(&state, .key(.char("Z")))
        #expect(state.isFrozen)
        _ = update(&state, .connection(ConnectionState(
            phase: .reconnecting, since: now - 3, attempt: 1, reason: "connection closed by the server",
            redactedURL: "redis://h:6379/0", gaps: [.init(from: now - 3, to: nil, reason: "connection closed by the server")])))
        _ = update(&state, .linkCounters(LinkCounters(inboxDropped: 7)))
        _ = update(&state, .tick(now: now))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("RECONNECTING attempt 1"), "\(text)")
        #expect(!text.contains(" connected "))
        #expect(text.contains("dropped 7"), "\(text)")
    }

    /// While the inbox sheds, the header says how fast it drops (messages/s over the last 5 s) beside
    /// the total; once it stops, only the total stays.
    @Test func whileTheInboxShedsTheHeaderShowsTheDropRateAndTheTotal() {
        let now = 1_795_700_000.0
        var state = AppState(width: 200, height: 36, now: now - 4)
        _ = update(&state, .connection(ConnectionState(phase: .connected, since: now - 60, redactedURL: "redis://h:6379/0")))
        _ = update(&state, .linkCounters(LinkCounters(inboxDropped: 0)))
        for (second, total) in [(3.0, 4_000), (2.0, 9_000), (1.0, 15_000)] {
            _ = update(&state, .tick(now: now - second))
            _ = update(&state, .linkCounters(LinkCounters(inboxDropped: total)))
        }
        _ = update(&state, .tick(now: now))
        let shedding = Dashboard.renderFrame(state: state).plainText()
        // 15,000 dropped within the last 5 s: 3,000 a second.
        #expect(shedding.contains("dropped 15,000 (3,000/s)"), "\(shedding)")
        _ = update(&state, .tick(now: now + 6))
        let after = Dashboard.renderFrame(state: state).plainText()
        #expect(!after.contains("/s)"), "\(after)")
        #expect(after.contains("dropped 15,000"), "\(after)")
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

/// A Sentinel failover in the header: the master reached beside the URL, and the switch for ten minutes.
@Suite struct FailoverHeaderTests {
    @Test func theFailoverAndTheNewMasterAreInTheHeader() {
        let now = 1_795_700_000.0
        var connection = ConnectionState(
            phase: .connected, since: now - 5, redactedURL: "sentinel://10.0.0.9:26379/0 master mymaster",
            gaps: [.init(from: now - 8, to: now - 7, reason: "failover 10.0.0.1:6379\u{2192}10.0.0.2:6379")])
        connection.master = "10.0.0.2:6379"
        connection.lastFailover = Failover(from: "10.0.0.1:6379", to: "10.0.0.2:6379", at: now - 8, followedAt: now - 7)
        var state = AppState(width: 200, height: 36, now: now)
        _ = update(&state, .connection(connection))
        _ = update(&state, .tick(now: now))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("FAILOVER 10.0.0.1:6379\u{2192}10.0.0.2:6379"), "\(text)")
        #expect(text.contains("master mymaster \u{2192} 10.0.0.2:6379"), "\(text)")
        _ = update(&state, .tick(now: now + 601))
        #expect(!Dashboard.renderFrame(state: state).plainText().contains("FAILOVER"))
    }
}
