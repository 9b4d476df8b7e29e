@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// Hit-testing (layout rectangles → pane and row) and what clicks, double clicks and the wheel do.
@Suite("Mouse")
struct MouseTests {
    static func press(_ state: inout AppState, x: Int, y: Int) -> [Effect] {
        update(&state, .key(.mouse(MouseEvent(x: x, y: y, action: .press))))
    }

    @Test func hitFindsThePaneAndTheRowUnderTheCell() throws {
        let state = StormFixture.appState()
        let retrying = try #require(state.overviewLayout.expanded[.retrying])
        // The top border and the column header are the pane, not a row.
        #expect(state.hit(x: retrying.x + 3, y: retrying.y) == MouseHit(pane: .retrying))
        #expect(state.hit(x: retrying.x + 3, y: retrying.y + 1) == MouseHit(pane: .retrying))
        let ids = state.rankedList(.retrying).orderedIDs()
        #expect(state.hit(x: retrying.x + 3, y: retrying.y + 2) == MouseHit(pane: .retrying, rowID: ids[0], rank: 0))
        #expect(state.hit(x: retrying.x + 3, y: retrying.y + 4) == MouseHit(pane: .retrying, rowID: ids[2], rank: 2))
        // The header line is no list.
        #expect(state.hit(x: 0, y: 0) == nil)
        // At 80x24 a collapsed pane is a one-line target that focuses it.
        let small = StormFixture.appState(width: 80, height: 24)
        let failed = try #require(small.overviewLayout.collapsed[.failed])
        #expect(small.hit(x: failed.x + 2, y: failed.y) == MouseHit(pane: .failed))
    }

    @Test func clickFocusesAndSelectsDoubleClickOpens() throws {
        var state = StormFixture.appState()
        let workers = try #require(state.overviewLayout.expanded[.workers])
        // One click on the second worker: the Workers pane takes focus and that row is selected.
        #expect(Self.press(&state, x: workers.x + 4, y: workers.y + 3).isEmpty)
        #expect(state.focusedPane == .workers)
        #expect(state.selectedID(in: .workers) == StormFixture.workers[1])
        #expect(state.screen == .overview)
        // A second press on the same row at once: a double click opens it, as Enter does.
        #expect(Self.press(&state, x: workers.x + 4, y: workers.y + 3) == [.inspectWorker(StormFixture.workers[1])])
        #expect(state.screen == .worker(hostname: StormFixture.workers[1]))
    }

    @Test func twoClicksTooFarApartAreTwoClicks() throws {
        var state = StormFixture.appState()
        let retrying = try #require(state.overviewLayout.expanded[.retrying])
        _ = Self.press(&state, x: retrying.x + 3, y: retrying.y + 2)
        _ = update(&state, .tick(now: state.now + 1))
        _ = Self.press(&state, x: retrying.x + 3, y: retrying.y + 2)
        #expect(state.screen == .overview)
    }

    @Test func wheelScrollsTheListUnderThePointer() throws {
        var state = StormFixture.appState()
        let active = try #require(state.overviewLayout.expanded[.active])
        let ids = state.rankedList(.active).orderedIDs()
        _ = update(&state, .key(.mouse(MouseEvent(x: active.x + 2, y: active.y + 3, action: .wheelDown))))
        #expect(state.focusedPane == .active)
        #expect(state.selectedID(in: .active) == ids[min(3, ids.count - 1)])
        _ = update(&state, .key(.mouse(MouseEvent(x: active.x + 2, y: active.y + 3, action: .wheelUp))))
        #expect(state.selectedID(in: .active) == ids[0])
    }

    @Test func sgrReportsDecode() {
        #expect(MouseEvent(sgr: "<0;10;5M") == MouseEvent(x: 9, y: 4, action: .press))
        #expect(MouseEvent(sgr: "<0;10;5m") == MouseEvent(x: 9, y: 4, action: .release))
        #expect(MouseEvent(sgr: "<64;1;1M") == MouseEvent(x: 0, y: 0, action: .wheelUp))
        #expect(MouseEvent(sgr: "<65;3;2M")?.action == .wheelDown)
        #expect(MouseEvent(sgr: "<2;3;2M")?.action == .otherButton)
        #expect(MouseEvent(sgr: "<32;3;2M")?.action == .otherButton)
        #expect(MouseEvent(sgr: "<0;0;5M") == nil)
        #expect(MouseEvent(sgr: "<0;99999999999999999999;5M") == nil)
        #expect(MouseEvent(sgr: "<0;1M") == nil)
    }
}
