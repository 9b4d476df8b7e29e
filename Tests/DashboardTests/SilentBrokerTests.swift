@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// A db with no events: after 10 s the status line says what is watched and why it may be silent.
@Suite("SilentBroker")
struct SilentBrokerTests {
    static let start = 1_795_696_000.0

    static func connected(_ url: String = "redis://localhost:6379/3", pattern: String = "/3.celeryev/*") -> AppState {
        var state = AppState(width: 120, height: 36, now: start)
        _ = update(&state, .connection(ConnectionState(phase: .connected, since: start, redactedURL: url, pattern: pattern)))
        return state
    }

    @Test func tenSecondsWithoutEventsNameTheDbAndPattern() {
        var state = Self.connected()
        _ = update(&state, .tick(now: Self.start + 9))
        #expect(!Dashboard.renderFrame(state: state).plainText().contains("No events"))
        _ = update(&state, .tick(now: Self.start + 12))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("No events for 12s on db 3 (pattern /3.celeryev/*)"), "\(text)")
        #expect(text.contains("workers may publish to another db"))
        // One event and the notice is gone.
        var builder = EventBuilder(worker: "celery@api-1", time: Self.start + 12)
        _ = update(&state, .events([builder.heartbeat()]))
        #expect(!Dashboard.renderFrame(state: state).plainText().contains("No events"))
    }

    @Test func theDefaultBrokerIsNamed() {
        var state = Self.connected("redis://localhost:6379/0", pattern: "/0.celeryev/*")
        state.defaultBroker = "redis://localhost:6379/0"
        _ = update(&state, .tick(now: Self.start + 1))
        let first = Dashboard.renderFrame(state: state).plainText()
        #expect(first.contains("No --broker and no CELERY_BROKER_URL: using the default redis://localhost:6379/0"), "\(first)")
        _ = update(&state, .tick(now: Self.start + 15))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("the default broker"), "\(text)")
    }
}
