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
        _ = update(&state, .inboxCounters(decodeStats: DecodeStats(), dropped: 7, oversized: 0))
        _ = update(&state, .tick(now: now))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("RECONNECTING attempt 1"), "\(text)")
        #expect(!text.contains(" connected "))
        #expect(text.contains("dropped 7"), "\(text)")
    }
}
