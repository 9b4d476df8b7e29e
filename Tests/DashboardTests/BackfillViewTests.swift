@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// What the dashboard shows of tasks known only from backfill (issue 12).
@Suite struct BackfillViewTests {
    static let id = "0077ee69-a53a-481d-9554-0358ebd3ce0f"

    /// A failure from a result backend without `result_extended`: no name, no retries.
    func stateWithNamelessFailure() -> AppState {
        var state = StormFixture.appState()
        let failure = BackfilledTask(
            id: Self.id, source: .resultBackend, state: .failure, exception: "ValueError('permanent failure')",
            dateDone: StormFixture.now - 30, readAt: StormFixture.now - 5)
        _ = update(&state, .backfill(tasks: [failure], status: nil))
        return state
    }

    @Test func aNamelessBackfilledFailureSaysHowToGetItsName() throws {
        var state = stateWithNamelessFailure()
        let failed = state.paneModel(.failed, in: Rect(x: 0, y: 0, width: 120, height: 40))
        let row = try #require(failed.rows.first { $0.cells.contains { $0.text.contains("permanent failure") } })
        #expect(row.cells.contains { $0.text == "(no name: needs result_extended)" }, "\(row.cells.map(\.text))")
        let keys = [Key.char(":")] + Self.id.prefix(8).map { Key.char($0) } + [Key.enter]
        for key in keys { _ = update(&state, .key(key)) }
        let screen = Dashboard.renderFrame(state: state).plainText()
        #expect(screen.contains("(name unknown: workers need result_extended=True)"), "\(screen)")
        #expect(screen.contains("from result_backend"))
        #expect(!screen.contains("discarded by the revoke"))
    }

    @Test func backfillStatusReachesTheHeader() {
        var state = StormFixture.appState()
        var status = BackfillStatus(enabled: true, watchingSince: StormFixture.now - 10)
        status.update(BackfillSourceReport(source: .unacked, phase: .failed, error: "NOPERM"))
        status.update(BackfillSourceReport(source: .resultBackend, phase: .done, tasksFound: 3))
        _ = update(&state, .backfill(tasks: [], status: status))
        let header = Dashboard.renderFrame(state: state).line(1)
        #expect(header.contains("backfill unacked failed"), "\(header)")
        #expect(header.contains("watching since \(TimeText.clock(StormFixture.now - 10))"), "\(header)")
    }
}
