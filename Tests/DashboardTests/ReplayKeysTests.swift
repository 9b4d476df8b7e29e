@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// The replay keys become replay effects, the status line shows the position, and going back refolds.
@Suite("ReplayKeys")
struct ReplayKeysTests {
    static let position = ReplayPosition(time: StormFixture.now, delivered: 1_204, total: 5_000, paused: true, speed: 10)

    @Test func keysBecomeReplayEffectsOnlyInAReplay() {
        var state = StormFixture.appState()
        #expect(update(&state, .key(.char("z"))).isEmpty)
        #expect(state.visibleStatus?.text.contains("works in a replay") == true)
        _ = update(&state, .replay(Self.position))
        #expect(update(&state, .key(.char("z"))) == [.replay(.togglePause)])
        #expect(update(&state, .key(.char("."))) == [.replay(.step)])
        #expect(update(&state, .key(.char(">"))) == [.replay(.seek(seconds: 10))])
        #expect(update(&state, .key(.char("<"))) == [.replay(.seek(seconds: -10))])
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("REPLAY paused"))
        #expect(text.contains("event 1,204/5,000"))
    }

    @Test func restartEmptiesTheModelButKeepsTheLink() {
        var state = StormFixture.appState()
        let connection = state.link.connection
        #expect(!state.monitor.tasks.isEmpty)
        _ = update(&state, .replayRestarted)
        #expect(state.monitor.tasks.isEmpty)
        #expect(state.link.connection == connection)
        #expect(state.rankedList(.retrying).count == 0)
    }
}
