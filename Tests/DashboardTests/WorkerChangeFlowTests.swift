import Actions
@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// Throttling from the dashboard: `L` and `Q` through their prompt and confirmation to the effect, the
/// changes list, undo, re-applying to a worker that comes online, and the outcome line.
@Suite("WorkerChangeFlow")
struct WorkerChangeFlowTests {
    typealias Fixture = StormFixture
    static let name = "tasks.fetch_api_data"

    func send(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        keys.flatMap { update(&state, .key($0)) }
    }

    func type(_ state: inout AppState, _ text: String) {
        for character in text { _ = update(&state, .key(.char(character))) }
    }

    /// The overview with the rates pane focused on fetch_api_data.
    func ratesFocused() -> AppState {
        var state = Fixture.appState()
        _ = send(&state, .tab, .tab)
        #expect(state.focusedPane == .rates)
        while state.selectedID(in: .rates) != Self.name { _ = send(&state, .char("j")) }
        return state
    }


    enum Unexpected: Error { case mode(String) }

    /// Sends `L`, a rate, Enter and `y`; returns the effects of `y`.
    func rateLimit(_ state: inout AppState, _ rate: String) -> [Effect] {
        _ = send(&state, .char("L"))
        if case .workerInput(var input) = state.mode {
            input.draft = ""
            state.mode = .workerInput(input)
        }
        type(&state, rate)
        _ = send(&state, .enter)
        return send(&state, .char("y"))
    }

    @Test func rateLimitFromTheRatesPaneSaysTheTotalAndWarnsThenSendsOneChange() throws {
        var state = ratesFocused()
        _ = send(&state, .char("L"))
        guard case .workerInput(let input) = state.mode else { throw Unexpected.mode("\(state.mode)") }
        #expect(input == WorkerInput(kind: .rateLimit(task: Self.name), draft: "10/m", destination: nil))
        #expect(Dashboard.renderFrame(state: state).plainText().contains("rate limit for \(Self.name) on every worker: 10/m"))
        _ = send(&state, .enter)
        let confirmation = try #require(state.mode.confirmation)
        let online = state.monitor.onlineWorkerNames(at: state.now)
        #expect(online.count == 2)
        let text = confirmation.lines.joined(separator: "\n")
        #expect(text.contains("Set rate_limit of \(Self.name) to 10/m on every worker (2 online: celery@api-1, celery@api-2)."))
        #expect(text.contains("2 workers × 10/m = 20/m in total"))
        #expect(text.contains("fill each worker's prefetch window and stall its other tasks"))
        #expect(text.contains("does not release the tasks already held"))
        #expect(text.contains("re-applies it to a worker that comes online"))
        let effects = send(&state, .char("y"))
        let request = WorkerChangeRequest(change: .rateLimit(task: Self.name, rate: "10/m"), destination: nil, expected: online)
        #expect(effects == [.changeWorkers([request])])
        #expect(state.workerChanges.isEmpty, "listed only once a worker applied it")
    }

    @Test func aBadRateIsRefusedBeforeAnyDialog() {
        var state = ratesFocused()
        _ = send(&state, .char("L"), .backspace, .backspace, .backspace, .backspace)
        type(&state, "fast")
        _ = send(&state, .enter)
        #expect(state.mode == .normal)
        #expect(state.status?.text.contains("is not a rate") == true)
    }

    @Test func appliedChangeIsListedUntilUndoRestoresEachWorkersPreviousValue() throws {
        var state = ratesFocused()
        guard case .changeWorkers(let requests) = rateLimit(&state, "6/m").first else { Issue.record("no effect"); return }
        let request = requests[0]
        let answer = WorkerChangeResult(
            request: request, ok: ["celery@api-1": "new rate limit set successfully", "celery@api-2": "new rate limit set successfully"],
            previous: ["celery@api-1": "", "celery@api-2": "2/s"], readBack: ["celery@api-1": "6/m", "celery@api-2": "6/m"])
        _ = update(&state, .commandFinished(.workersChanged(answer)))
        #expect(state.workerChanges.count == 1)
        let screen = Dashboard.renderFrame(state: state).plainText()
        #expect(screen.contains("changed by retrytop: rate limit \(Self.name) = 6/m on every worker (2 applied; was mixed)"))
        #expect(screen.contains("on all workers: 2 ok; 2 workers × 6/m = 12/m in total; read back:"))

        _ = send(&state, .char("U"))
        let confirmation = try #require(state.mode.confirmation)
        #expect(confirmation.lines.joined().contains("rate limit \(Self.name) = none on celery@api-1; rate limit \(Self.name) = 2/s on celery@api-2"))
        let undo = send(&state, .char("y"))
        let id = state.workerChanges[0].id
        #expect(undo == [.changeWorkers([
            WorkerChangeRequest(change: .rateLimit(task: Self.name, rate: ""), destination: ["celery@api-1"], purpose: .undo(id: id)),
            WorkerChangeRequest(change: .rateLimit(task: Self.name, rate: "2/s"), destination: ["celery@api-2"], purpose: .undo(id: id)),
        ])])
        #expect(state.workerChanges[0].undoing)
        guard case .changeWorkers(let undoRequests) = undo[0] else { return }
        _ = update(&state, .commandFinished(.workersChanged(WorkerChangeResult(request: undoRequests[0], ok: ["celery@api-1": "ok"]))))
        #expect(state.workerChanges.isEmpty)
        #expect(state.status?.text.hasPrefix("Undone:") == true)
    }

    @Test func aFailedUndoKeepsTheChangeListed() throws {
        var state = ratesFocused()
        guard case .changeWorkers(let requests) = rateLimit(&state, "6/m").first else { Issue.record("no effect"); return }
        _ = update(&state, .commandFinished(.workersChanged(WorkerChangeResult(request: requests[0], ok: ["celery@api-1": "ok"]))))
        guard case .changeWorkers(let undo) = send(&state, .char("U"), .char("y")).first else { Issue.record("no undo"); return }
        _ = update(&state, .commandFinished(.workerChangeFailed(undo[0], "broker error: Connection refused")))
        #expect(state.workerChanges.count == 1)
        #expect(state.workerChanges[0].undoing == false)
    }

    @Test func aWorkerComingOnlineGetsRetrytopsChangesAgainAndTheStatusSaysSo() {
        var state = ratesFocused()
        guard case .changeWorkers(let requests) = rateLimit(&state, "6/m").first else { Issue.record("no effect"); return }
        _ = update(&state, .commandFinished(.workersChanged(WorkerChangeResult(request: requests[0], ok: ["celery@api-1": "ok"]))))
        var builder = EventBuilder(worker: "celery@api-3", time: Fixture.now)
        let online = builder.make(.workerOnline, nil)
        let effects = update(&state, .events([online, builder.heartbeat()]))
        let id = state.workerChanges[0].id
        #expect(effects == [.changeWorkers([
            WorkerChangeRequest(change: .rateLimit(task: Self.name, rate: "6/m"), destination: ["celery@api-3"], purpose: .reapply(id: id)),
        ])])
        #expect(state.status?.text.contains("celery@api-3 came online: re-applying 1 change made by retrytop") == true)
        guard case .changeWorkers(let again) = effects[0] else { return }
        _ = update(&state, .commandFinished(.workersChanged(WorkerChangeResult(request: again[0], ok: ["celery@api-3": "ok"], readBack: ["celery@api-3": "6/m"]))))
        #expect(state.workerChanges[0].appliedOn == ["celery@api-1", "celery@api-3"])
        #expect(Dashboard.renderFrame(state: state).plainText().contains("Re-applied to celery@api-3 (came online)"))
        // Nothing listed, nothing re-applied.
        var plain = Fixture.appState()
        #expect(update(&plain, .events([online])).isEmpty)
    }

    @Test func consumerKeyStopsTheSelectedTasksQueueOnTheSelectedWorkerAndPlusResumes() throws {
        var state = Fixture.appState()
        _ = send(&state, .tab, .tab, .tab)
        #expect(state.focusedPane == .workers)
        let worker = try #require(state.selectedID(in: .workers))
        _ = send(&state, .char("Q"))
        guard case .workerInput(let input) = state.mode else { throw Unexpected.mode("\(state.mode)") }
        #expect(input.destination == [worker])
        _ = send(&state, .enter)
        let confirmation = try #require(state.mode.confirmation)
        #expect(confirmation.title == "Stop consuming queue \(input.draft)?")
        #expect(confirmation.lines[0].contains("cancel_consumer \(input.draft) on \(worker)"))
        let effects = send(&state, .char("y"))
        #expect(effects == [.changeWorkers([WorkerChangeRequest(change: .cancelConsumer(queue: input.draft), destination: [worker], expected: [worker])])])

        _ = send(&state, .char("Q"))
        if case .workerInput(var again) = state.mode { again.draft = "+billing"; state.mode = .workerInput(again) }
        _ = send(&state, .enter)
        #expect(try #require(state.mode.confirmation).effect == Effect.changeWorkers([WorkerChangeRequest(change: .addConsumer(queue: "billing"), destination: [worker], expected: [worker])]))
    }

    @Test func readOnlyDisablesThrottleAndUndo() {
        var state = Fixture.appState(readOnly: true)
        for key in ["L", "Q", "U"] {
            #expect(send(&state, .char(Character(key))).isEmpty)
            #expect(state.mode == .normal)
            #expect(state.status?.text.contains("--read-only") == true)
        }
    }

    @Test func revokeByNameOffersTerminateForTheRunningOnesInTheSameDialog() throws {
        var state = ratesFocused()
        let retrying = state.monitor.tasks(named: Self.name, in: .retry)
        let running = state.monitor.tasks(named: Self.name, in: .started)
        #expect(!retrying.isEmpty && !running.isEmpty)
        _ = send(&state, .char("D"))
        #expect(try #require(state.mode.confirmation).lines.joined().contains("t adds them and terminates them"))
        _ = send(&state, .char("t"))
        let confirmation = try #require(state.mode.confirmation)
        #expect(confirmation.effect == Effect.revoke(RevokeRequest(ids: (retrying + running).sorted(), terminate: true, signal: "SIGTERM")))
        #expect(confirmation.recheckStates == Set<TaskState>([.retry, .started]))
        guard case .revoke(let sent) = send(&state, .char("y")).first else { Issue.record("no revoke"); return }
        #expect(sent.ids.count == retrying.count + running.count)
    }

    @Test func revokeOutcomeLineCountsWhatFollowedAndStaysUntilDismissed() {
        var state = ratesFocused()
        guard case .revoke(let request) = send(&state, .char("D"), .char("y")).first else { Issue.record("no revoke"); return }
        _ = update(&state, .commandFinished(.revoked(RevokeOutcome(request: request, receivers: 2))))
        let ids = request.ids
        #expect(Dashboard.renderFrame(state: state).plainText().contains("Revoke: \(ids.count) targeted: \(ids.count) no answer yet"))
        var builder = EventBuilder(worker: "celery@api-1", time: Fixture.now + 1)
        _ = update(&state, .events([builder.make(.taskRevoked, ids[0]), builder.make(.taskRevoked, ids[1])]))
        _ = update(&state, .tick(now: Fixture.now + 60))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("Revoke: \(ids.count) targeted: 2 revoked while waiting, \(ids.count - 2) no answer yet"))
        _ = send(&state, .char("o"))
        #expect(state.report == nil)
    }
}
