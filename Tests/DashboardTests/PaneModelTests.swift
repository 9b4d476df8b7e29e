@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// Pane view models built alone: sort markers on the right column, whole titles, the rows of a group.
@Suite("PaneModels")
struct PaneModelTests {
    typealias Fixture = StormFixture

    func send(_ state: inout AppState, _ keys: Key...) {
        for key in keys { _ = update(&state, .key(key)) }
    }

    @Test func workersSortedByHeartbeatShowTheArrowOnTheHeartbeatColumn() {
        var state = Fixture.appState()
        send(&state, .tab, .tab, .tab, .char("s"), .char("s"), .char("s"))
        #expect(state.focusedPane == .workers)
        let model = state.paneModel(.workers, in: Rect(x: 0, y: 0, width: 120, height: 10))
        #expect(model.columns.map(\.title).contains("HEARTBEAT\(state.glyphs.arrowUp)"))
    }

    @Test func sortMarkersNeverCutAColumnTitle() {
        var state = Fixture.appState()
        // Active pane, RUNNING reversed: "RUNNING↑" is wider than the 7 columns RUNNING needs.
        send(&state, .tab, .char("S"))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("RUNNING\(state.glyphs.arrowUp)"))
        // Workers pane by ACTIVE: "ACTIVE↑" is wider than its 6 columns.
        send(&state, .tab, .tab, .char("s"))
        #expect(Dashboard.renderFrame(state: state).plainText().contains("ACTIVE\(state.glyphs.arrowUp)"))
    }
}
