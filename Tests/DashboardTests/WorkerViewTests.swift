import Actions
@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// The worker view (Enter on the Workers pane): what opening it asks for, what an answer shows, and `w`.
@Suite("WorkerView")
struct WorkerViewTests {
    typealias Fixture = StormFixture
    static let host = "celery@api-1"

    /// Focus the Workers pane (Tab × 3) with the first worker selected.
    func workersPane(_ state: inout AppState) {
        for _ in 0..<3 { _ = update(&state, .key(.tab)) }
        #expect(state.focusedPane == .workers)
        #expect(state.selectedID(in: .workers) == Self.host)
    }

    static func answer() -> WorkerInspection {
        var inspection = WorkerInspection(hostname: host)
        inspection.pool = "prefork"
        inspection.concurrency = 2
        inspection.prefetchCount = 8
        inspection.queues = ["api", "celery"]
        inspection.active = [
            .init(id: "0f9c1d2e-0000-4000-8000-00000000aaaa", name: "tasks.fetch_api_data", started: Fixture.now - 12, workerPID: 4201),
            .init(id: "0f9c1d2e-0000-4000-8000-00000000bbbb", name: "tasks.generate_report", started: Fixture.now - 130, workerPID: 4202),
        ]
        inspection.activeTotal = 2
        inspection.reserved = [.init(id: "0f9c1d2e-0000-4000-8000-00000000cccc", name: "tasks.fetch_api_data")]
        inspection.reservedTotal = 1
        return inspection
    }

    @Test func enterOnAWorkerOpensItsViewAndAsksItOnce() {
        var state = Fixture.appState()
        workersPane(&state)
        let effects = update(&state, .key(.enter))
        #expect(effects == [.inspectWorker(Self.host)])
        #expect(state.screen == .worker(hostname: Self.host))
        #expect(state.inspectingWorker == Self.host)
        #expect(state.filterText.isEmpty, "Enter opens the worker; it no longer filters")
        #expect(Dashboard.renderFrame(state: state).plainText().contains("asking \(Self.host)"))
        // Esc goes back to the overview.
        _ = update(&state, .key(.escape))
        #expect(state.screen == .overview)
    }

    @Test func theAnswerShowsPoolConcurrencyQueuesAndTasks() {
        var state = Fixture.appState()
        workersPane(&state)
        _ = update(&state, .key(.enter))
        _ = update(&state, .commandFinished(.workerInspection(Self.answer())))
        #expect(state.inspectingWorker == nil)
        #expect(state.workerInspection?.answeredAt == Fixture.now)
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("pool prefork"))
        #expect(text.contains("concurrency 2"))
        #expect(text.contains("active 2/2 (every pool slot busy)"))
        #expect(text.contains("queues api, celery"))
        #expect(text.contains("Active 2"))
        #expect(text.contains("tasks.generate_report"))
        #expect(text.contains("Reserved 1"))
        #expect(text.contains("retried"))
        // `r` asks again; the answer already shown stays until the new one arrives.
        #expect(update(&state, .key(.char("r"))) == [.inspectWorker(Self.host)])
        #expect(state.workerInspection != nil)
    }

    @Test func aWorkerThatDoesNotAnswerIsSaid() {
        var state = Fixture.appState()
        workersPane(&state)
        _ = update(&state, .key(.enter))
        var silent = WorkerInspection(hostname: Self.host)
        silent.missing = ["stats", "active", "reserved", "active_queues"]
        _ = update(&state, .commandFinished(.workerInspection(silent)))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("no answer to stats, active, reserved, active_queues"))
        _ = update(&state, .commandFinished(.failed(action: Effect.inspectWorkerAction, message: "broker error: refused")))
        #expect(state.inspectingWorker == nil)
        #expect(state.visibleStatus?.text.contains("worker inspection failed") == true)
    }

    @Test func wFiltersTheOverviewByTheWorker() {
        var state = Fixture.appState()
        workersPane(&state)
        _ = update(&state, .key(.char("w")))
        #expect(state.filterText == "worker:\(Self.host)")
        #expect(state.focusedPane == .active)
        // From the worker view too, back on the overview.
        state = Fixture.appState()
        workersPane(&state)
        _ = update(&state, .key(.enter))
        _ = update(&state, .key(.char("w")))
        #expect(state.screen == .overview)
        #expect(state.filterText == "worker:\(Self.host)")
    }

    @Test func throttleAndQueueKeysInTheWorkerViewTargetThatWorkerOnly() {
        var state = Fixture.appState()
        workersPane(&state)
        _ = update(&state, .key(.enter))
        _ = update(&state, .key(.char("L")))
        guard case .workerInput(let input) = state.mode else {
            Issue.record("L in the worker view opens the rate prompt; mode is \(state.mode)")
            return
        }
        #expect(input.destination == [Self.host])
        _ = update(&state, .key(.escape))
        _ = update(&state, .key(.char("Q")))
        guard case .workerInput(let queue) = state.mode else {
            Issue.record("Q in the worker view opens the queue prompt")
            return
        }
        #expect(queue.destination == [Self.host])
    }

    @Test func heartbeatHistoryIsBoundedAndInOrder() {
        var worker = WorkerRecord(hostname: Self.host)
        for index in 0..<(WorkerRecord.maxHeartbeats + 10) {
            worker.recordHeartbeat(HeartbeatSample(timestamp: Double(index), active: index, load: nil))
        }
        worker.recordHeartbeat(HeartbeatSample(timestamp: 1, active: 0, load: nil))
        #expect(worker.heartbeats.count == WorkerRecord.maxHeartbeats)
        #expect(worker.heartbeats.first?.timestamp == 10)
        #expect(worker.heartbeats.last?.timestamp == Double(WorkerRecord.maxHeartbeats + 9))
        #expect(Fixture.monitor().workers[Self.host]?.heartbeats.count == WorkerRecord.maxHeartbeats)
    }
}
