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

    static func open(_ id: String, in state: inout AppState) -> String {
        for key in [Key.char(":")] + id.prefix(8).map({ Key.char($0) }) + [Key.enter] { _ = update(&state, .key(key)) }
        return Dashboard.renderFrame(state: state).plainText()
    }

    @Test func aContradictedBackendStateAndARevokeOnTheWorkersAreShownInTheDetail() {
        var state = StormFixture.appState()
        let readAt = StormFixture.now - 5
        // The revoke command's REVOKED (no retries, written before the read) while a worker still holds the retry.
        let held = BackfilledTask(id: Self.id, source: .unacked, name: "app.backoff", retries: 1, eta: StormFixture.now + 30, readAt: readAt)
        let stored = BackfilledTask(id: Self.id, source: .resultBackend, state: .revoked, dateDone: readAt - 60, readAt: readAt)
        _ = update(&state, .backfill(tasks: [held, stored], status: nil))
        var screen = Self.open(Self.id, in: &state)
        #expect(screen.contains("result backend says REVOKED (not trusted)"), "\(screen)")
        #expect(screen.contains("RETRY"))

        let other = "5b91fe8d-fba9-43af-abf3-624c147da8ca"
        var revoked = StormFixture.appState()
        let waiting = BackfilledTask(id: other, source: .unacked, name: "app.add", retries: 0, eta: StormFixture.now + 300, readAt: readAt)
        _ = update(&revoked, .backfill(tasks: [.revokedByWorkers(other, readAt: readAt), waiting], status: nil))
        screen = Self.open(other, in: &revoked)
        #expect(screen.contains("revoked on the workers before retrytop started"), "\(screen)")
        #expect(revoked.monitor.tasks[other]?.state == .revoked)
    }

    @Test func queueDepthsReachTheHeaderAndAFailedReadIsMarked() {
        var state = StormFixture.appState(width: 200, height: 50)
        #expect(!Dashboard.renderFrame(state: state).line(0).contains("queued"))
        let depths = QueueDepths(queues: [QueueDepth(name: "other", bySteps: [3, 0, 0, 1]), QueueDepth(name: "celery", bySteps: [1_200, 0, 0, 0])], readAt: StormFixture.now)
        _ = update(&state, .queues(depths))
        #expect(Dashboard.renderFrame(state: state).line(0).contains("1,204 queued (celery 1,200)"))
        var failed = depths
        failed.error = "reading the queue lengths failed: NOPERM"
        _ = update(&state, .queues(failed))
        #expect(Dashboard.renderFrame(state: state).line(0).contains("1,204 queued (celery 1,200) ?"))
    }
}
