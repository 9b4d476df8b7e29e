import Actions
@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

@Suite("Update")
struct UpdateTests {
    typealias Fixture = StormFixture

    func send(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        keys.flatMap { update(&state, .key($0)) }
    }

    @Test func countdownMovesAsTimeAdvances() throws {
        var state = Fixture.appState()
        _ = send(&state, .char(":"))
        for ch in Fixture.detailTaskID.prefix(8) { _ = send(&state, .char(ch)) }
        _ = send(&state, .enter)
        let before = Dashboard.renderFrame(state: state).plainText()
        #expect(before.contains("next in 0:02"))
        _ = update(&state, .tick(now: Fixture.now - 3))
        #expect(Dashboard.renderFrame(state: state).plainText().contains("next in 0:05"))
        _ = update(&state, .tick(now: Fixture.now))
        #expect(Dashboard.renderFrame(state: state).plainText().contains("next in 0:02"))
        _ = update(&state, .tick(now: Fixture.now + 3))
        #expect(Dashboard.renderFrame(state: state).plainText().contains("late 1s"))
    }

    @Test func selectionStaysOnTheSameTaskAsRowsReorder() throws {
        var state = Fixture.appState()
        _ = send(&state, .char("j"), .char("j"))
        let selected = try #require(state.selectedID(in: .retrying))
        // A new task arrives whose next attempt is the soonest: it sorts above the selection.
        var builder = EventBuilder(worker: "celery@api-1", time: Fixture.now - 1)
        let fresh = "00000000-0000-4000-8000-000000000001"
        _ = update(&state, .events([
            builder.received(fresh, name: "tasks.fetch_api_data"), builder.started(fresh), builder.retried(fresh),
            builder.received(fresh, name: "tasks.fetch_api_data", retries: 1, eta: Fixture.now - 5),
        ]))
        #expect(state.rankedList(.retrying).orderedIDs().first == fresh)
        #expect(state.selectedID(in: .retrying) == selected)
        _ = send(&state, .char("k"))
        #expect(state.selectedID(in: .retrying) == state.rankedList(.retrying).orderedIDs()[2])
    }

    @Test func sortCyclesColumnsAndReverses() {
        var state = Fixture.appState()
        #expect(state.sort(.retrying) == SortOrder(column: 0, descending: false))
        _ = send(&state, .char("s"))
        #expect(state.sort(.retrying) == SortOrder(column: 1, descending: false))
        _ = send(&state, .char("S"))
        #expect(state.sort(.retrying) == SortOrder(column: 1, descending: true))
        let names = state.rankedList(.retrying).orderedIDs().compactMap { state.monitor.tasks[$0]?.name }
        #expect(names == names.sorted(by: >))
    }

    @Test func filterNarrowsLiveAndEscClears() {
        var state = Fixture.appState()
        let all = state.rankedList(.retrying).count
        _ = send(&state, .char("/"))
        for ch in "name:rate_limited" { _ = send(&state, .char(ch)) }
        let narrowed = state.rankedList(.retrying).orderedIDs()
        #expect(narrowed.count < all && !narrowed.isEmpty)
        #expect(narrowed.allSatisfy { state.monitor.tasks[$0]?.name == "tasks.rate_limited_task" })
        _ = send(&state, .enter)
        #expect(state.filterText == "name:rate_limited" && state.mode == .normal)
        _ = send(&state, .escape)
        #expect(state.filterText.isEmpty && state.rankedList(.retrying).count == all)
    }

    @Test func filterQualifiersAndNegation() {
        var task = TaskRecord(id: "abc-123", firstSeen: 0)
        task.name = "tasks.fetch_api_data"
        task.queue = "api"
        task.worker = "celery@api-1"
        #expect(TaskFilter(parsing: "name:FETCH queue:api").matches(task))
        #expect(!TaskFilter(parsing: "!fetch").matches(task))
        #expect(TaskFilter(parsing: "!quick worker:api-1").matches(task))
        #expect(!TaskFilter(parsing: "state:failure").matches(task))
        #expect(TaskFilter(parsing: "abc-1").matches(task))
    }

    @Test func goToIDByPrefixAndClearMessages() {
        var state = Fixture.appState()
        _ = send(&state, .char(":"))
        for ch in Fixture.detailTaskID.prefix(6) { _ = send(&state, .char(ch)) }
        _ = send(&state, .enter)
        #expect(state.screen == .taskDetail(taskID: Fixture.detailTaskID))
        _ = send(&state, .escape, .char(":"), .char("z"), .char("z"), .char("z"), .char("z"), .enter)
        #expect(state.screen == .overview)
        #expect(state.visibleStatus?.text.contains("No tracked task id starts with") == true)
        _ = send(&state, .char(":"), .char("0"), .enter)
        #expect(state.visibleStatus?.text.contains("at least 4") == true)
    }

    @Test func goToAnAmbiguousPrefixAsksForMore() throws {
        var state = Fixture.appState()
        let ids = state.monitor.tasks.values.map(\.id)
        // Shortest prefix (4 or more characters) that two tracked ids share.
        var shared: String?
        for length in 4...36 where shared == nil {
            let groups = Dictionary(grouping: ids.filter { $0.count >= length }) { String($0.prefix(length)) }
            shared = groups.first { $0.value.count > 1 }?.key
        }
        let prefix = try #require(shared)
        _ = send(&state, .char(":"))
        for ch in prefix { _ = send(&state, .char(ch)) }
        _ = send(&state, .enter)
        #expect(state.screen == .overview)
        #expect(state.visibleStatus?.text.contains("matches several tasks") == true, "\(prefix)")
    }

    @Test func confirmationEmitsExactlyTheEffectOnYes() throws {
        var state = Fixture.appState()
        let target = try #require(state.selectedID(in: .retrying))
        #expect(send(&state, .char("x")).isEmpty)
        guard case .confirm(let confirmation) = state.mode else { Issue.record("no dialog"); return }
        #expect(confirmation.lines.joined(separator: " ").contains("1 × tasks.fetch_api_data"))
        let effects = send(&state, .char("y"))
        #expect(effects == [.revoke(RevokeRequest(ids: [target], terminate: false))])
        #expect(state.mode == .normal)
    }

    @Test func noAndEscapeCancelWithoutEffects() {
        for cancel in [Key.char("n"), .escape] {
            var state = Fixture.appState()
            _ = send(&state, .char("x"))
            #expect(send(&state, cancel).isEmpty)
            #expect(state.mode == .normal)
            #expect(state.visibleStatus?.text.contains("nothing was sent") == true)
        }
    }

    @Test func terminateNamesTheSignalAndRevokeWarnsAboutRunningTasks() {
        var state = Fixture.appState()
        _ = send(&state, .tab)  // Active pane: running tasks
        _ = send(&state, .char("x"))
        guard case .confirm(let plain) = state.mode else { Issue.record("no dialog"); return }
        #expect(plain.lines.contains { $0.contains("a plain revoke does not stop a running task; use X to terminate") })
        _ = send(&state, .escape, .char("X"))
        guard case .confirm(let terminate) = state.mode else { Issue.record("no dialog"); return }
        #expect(terminate.lines.joined().contains("SIGTERM"))
        guard case .revoke(let request) = terminate.effect else { Issue.record("not a revoke"); return }
        #expect(request.terminate && request.signal == "SIGTERM")
    }

    @Test func marksTargetEveryMarkedTask() {
        var state = Fixture.appState()
        let ids = Array(state.rankedList(.retrying).orderedIDs().prefix(3))
        _ = send(&state, .char(" "), .char(" "), .char(" "))
        #expect(state.marks == Set(ids))
        let effects = send(&state, .char("R"))
        guard case .previewRequeue(let request)? = effects.first, effects.count == 1 else {
            Issue.record("no requeue preview: \(effects)"); return
        }
        #expect(request.subjects.map(\.id) == ids.sorted())
        #expect(request.pace == state.requeuePace)
        _ = update(&state, .commandFinished(.requeuePreview(RequeuePreviewFixture.preview(request))))
        guard case .confirm(let confirmation) = state.mode else { Issue.record("no requeue dialog"); return }
        #expect(confirmation.lines[0].contains("new task ids, same name, exact args and kwargs, original queue"))
        #expect(confirmation.lines.contains { $0.contains("Paced at 20/s") })
    }

    @Test func bulkRevokeOfEveryRetryingTaskOfTheName() {
        var state = Fixture.appState()
        _ = send(&state, .char("D"))
        guard case .confirm(let confirmation) = state.mode, case .revoke(let request) = confirmation.effect else {
            Issue.record("no dialog"); return
        }
        let expected = state.monitor.retryingIDs.filter { state.monitor.tasks[$0]?.name == "tasks.fetch_api_data" }.sorted().map(\.string)
        #expect(request.ids == expected && !expected.isEmpty)
    }

    @Test func bulkRevokeByNameSendsOnlyTasksStillRetryingWhenConfirmed() throws {
        var state = Fixture.appState()
        _ = send(&state, .char("D"))
        guard case .confirm(let confirmation) = state.mode, case .revoke(let asked) = confirmation.effect else {
            Issue.record("no dialog"); return
        }
        #expect(confirmation.lines.contains("Only tasks still in RETRY are sent: checked again when you press y."))
        #expect(asked.ids.count > 3)
        // While the dialog is open, two of them run their next attempt and succeed.
        let finished = Array(asked.ids.prefix(2))
        var events = EventBuilder(worker: "celery@api-1", clock: 10_000, time: state.now)
        for id in finished {
            let retries = try #require(state.monitor.tasks[id]?.retries)
            _ = update(&state, .events([
                events.received(id, name: "tasks.fetch_api_data", retries: retries), events.started(id), events.succeeded(id),
            ]))
            #expect(state.monitor.tasks[id]?.state == .success)
        }
        let effects = send(&state, .char("y"))
        #expect(effects == [.revoke(RevokeRequest(ids: Array(asked.ids.dropFirst(2)), terminate: false))])
        #expect(state.visibleStatus?.text.contains("(2 no longer RETRY: not sent)") == true, "\(String(describing: state.visibleStatus))")
    }

    @Test func bulkRevokeByNameSendsNothingWhenNoneIsStillRetrying() throws {
        var state = Fixture.appState()
        _ = send(&state, .char("D"))
        guard case .confirm(let confirmation) = state.mode, case .revoke(let asked) = confirmation.effect else {
            Issue.record("no dialog"); return
        }
        var events = EventBuilder(worker: "celery@api-1", clock: 10_000, time: state.now)
        _ = update(&state, .events(asked.ids.map { events.make(.taskRevoked, $0) }))
        #expect(send(&state, .char("y")).isEmpty)
        #expect(state.mode == .normal)
        #expect(state.visibleStatus?.text.contains("Nothing sent: none of the \(asked.ids.count) tasks is still in RETRY") == true)
    }

    @Test func readOnlyEmitsNoDangerousEffectAndSaysWhy() {
        var state = Fixture.appState(readOnly: true)
        for key in [Key.char("x"), .char("X"), .char("R"), .char("D"), .char("A"), .ctrl("x")] {
            let effects = send(&state, key, .char("y"))
            #expect(effects.isEmpty)
            #expect(state.mode == .normal)
        }
        #expect(state.visibleStatus?.text.contains("--read-only") == true)
    }

    @Test func freezeKeepsTheViewWhileTheLiveModelChanges() {
        var state = Fixture.appState()
        _ = send(&state, .char("Z"))
        let frozen = Dashboard.renderFrame(state: state).plainText()
        var builder = EventBuilder(worker: "celery@api-1", time: Fixture.now - 1)
        let fresh = "00000000-0000-4000-8000-000000000002"
        _ = update(&state, .events([builder.received(fresh, name: "tasks.brand_new"), builder.started(fresh)]))
        #expect(state.monitor.tasks[fresh] != nil)
        #expect(state.viewed.tasks[fresh] == nil)
        #expect(state.eventsSinceFreeze == 2)
        let after = Dashboard.renderFrame(state: state).plainText()
        #expect(after.contains("FROZEN +2 events"))
        #expect(!after.contains("brand_new"))
        // Only the header's FROZEN badge differs: the panes are the frozen copy, line for line.
        let changed = zip(frozen.split(separator: "\n"), after.split(separator: "\n")).filter { $0.0 != $0.1 }
        #expect(!changed.isEmpty && changed.allSatisfy { $0.1.contains("FROZEN") }, "\(changed)")
        _ = send(&state, .char("Z"))
        #expect(!state.isFrozen && state.viewed.tasks[fresh] != nil)
    }

    @Test func revokeResultMarksTasksAndStatus() {
        var state = Fixture.appState()
        let id = Fixture.detailTaskID
        _ = update(&state, .commandFinished(.revoked(RevokeOutcome(request: RevokeRequest(ids: [id]), receivers: 2))))
        #expect(state.monitor.tasks[id]?.revokeSentAt == Fixture.now)
        #expect(state.visibleStatus?.text.contains("waiting for task-revoked") == true)
    }

    @Test func theFirstTickAndEvery120SecondsAskForPoliciesQuietly() {
        var state = AppState(now: 1_000)
        #expect(update(&state, .tick(now: 1_000)) == [.refreshPolicies])
        #expect(update(&state, .tick(now: 1_119.9)) == [])
        #expect(update(&state, .tick(now: 1_120)) == [.refreshPolicies])
        #expect(state.policiesDueAt == 1_240)
    }

    @Test func theViewStackIsBoundedWhateverIsPushed() {
        var state = Fixture.appState()
        for _ in 0..<40 {
            _ = send(&state, .char(":"))
            for ch in Fixture.detailTaskID.prefix(8) { _ = send(&state, .char(ch)) }
            _ = send(&state, .enter, .char("e"))
        }
        #expect(state.stack.count == AppState.maxStackDepth)
        #expect(state.stack.first == .overview && state.screen == .exceptions)
    }

    @Test func quitAndPoliciesAreEffects() {
        var state = Fixture.appState()
        #expect(send(&state, .char("p")) == [.inspectPolicies])
        #expect(send(&state, .char("q")) == [.quit])
    }

    @Test func drillDownFromExceptionsToTaskDetailAndTraceback() {
        // 24 rows: the 26-line traceback does not fit, so `G` has somewhere to go.
        var state = Fixture.appState(height: 24)
        _ = send(&state, .char("e"), .enter, .enter)
        guard case .taskDetail = state.screen else { Issue.record("not in detail: \(state.screen)"); return }
        _ = send(&state, .char("k"), .char("t"))
        guard case .traceback = state.screen else { Issue.record("no traceback: \(state.screen)"); return }
        _ = send(&state, .char("G"))
        guard case .traceback(_, _, let offset) = state.screen else { Issue.record("G left the traceback: \(state.screen)"); return }
        #expect(offset > 0)
        let end = Dashboard.renderFrame(state: state).plainText()
        // The last line shows, the first does not: the view ends at the traceback's end.
        #expect(end.contains("http://127.0.0.1:8765/data')") && end.contains("-26 of 26"), "\(end)")
        #expect(!end.contains("lines 1-"), "\(end)")
        _ = send(&state, .escape, .escape, .escape, .escape)
        #expect(state.screen == .overview)
    }

    @Test func aRetryMessageDiscardedByARevokeShowsAsNeverRun() {
        var state = Fixture.appState()
        // docs/celery-wire.md, rule 6: attempt 1 runs, a plain revoke arrives, it retries; the worker discards
        // the retry message (task-revoked) before it reports attempt 1's task-retried.
        let id = "0dd0c0de-0000-4000-8000-000000000001"
        var worker = EventBuilder(worker: "celery@api-1", time: Fixture.now - 5)
        _ = update(&state, .events([
            worker.received(id, name: "tasks.fetch_api_data"), worker.started(id),
            worker.make(.taskRevoked, id, after: 2) { $0.terminated = false; $0.expired = false },
            worker.retried(id, "HTTPError('429 Too Many Requests')"),
        ]))
        _ = send(&state, .char(":"))
        for ch in id.prefix(12) { _ = send(&state, .char(ch)) }
        _ = send(&state, .enter)
        let screen = Dashboard.renderFrame(state: state).plainText()
        let lines = screen.split(separator: "\n")
        let first = lines.first { $0.contains(" 1 celery@api-1") }
        let second = lines.first { $0.contains(" 2 celery@api-1") }
        #expect(first?.contains("RETRY") == true && first?.contains("HTTPError: 429") == true, "\(screen)")
        #expect(second?.contains("REVOKED") == true && second?.contains("discarded by the revoke, never ran") == true, "\(screen)")
    }

    @Test func stormFiresOnTheStormFixtureAndNotOnASteadyOne() {
        let storm = Fixture.monitor()
        let alerts = StormDetector().alerts(storm.ratesByName, now: Fixture.now)
        #expect(alerts.map(\.name) == ["tasks.fetch_api_data"])
        var steady = MonitorState()
        steady.apply(Fixture.steadyEvents())
        #expect(StormDetector().alerts(steady.ratesByName, now: Fixture.now).isEmpty)
        #expect(steady.ratesByName["tasks.fetch_api_data"].map { $0.total(.retried, window: 60, endingAt: Fixture.now) } ?? 0 > 0)
    }

    @Test func stormDetectionWaitsForABaselineWhenOpenedMidIncident() {
        let storm = Fixture.monitor()
        let detector = StormDetector()
        // Watching for less than the last minute plus two minutes of baseline: no alert yet.
        for watched in [30.0, 60, 120, 179] {
            #expect(detector.alerts(storm.ratesByName, now: Fixture.now, watchingSince: Fixture.now - watched).isEmpty, "\(watched)")
        }
        // From then on the baseline covers only the minutes watched.
        let alerts = detector.alerts(storm.ratesByName, now: Fixture.now, watchingSince: Fixture.now - 180)
        #expect(alerts.map(\.name) == ["tasks.fetch_api_data"])
        let lastMinute = storm.ratesByName["tasks.fetch_api_data"]!.total(.retried, window: 60, endingAt: Fixture.now)
        let twoMinutes = storm.ratesByName["tasks.fetch_api_data"]!.total(.retried, window: 180, endingAt: Fixture.now) - lastMinute
        #expect(alerts.first?.baselinePerMinute == Double(twoMinutes) / 2)
    }

    @Test func timeFormatting() {
        #expect(TimeText.duration(seconds: 2) == "0:02")
        #expect(TimeText.duration(seconds: 295) == "4:55")
        #expect(TimeText.duration(seconds: 3_723) == "1:02:03")
        #expect(TimeText.span(0.012) == "12ms")
        #expect(TimeText.span(1.3) == "1.3s")
        #expect(TimeText.clock(Fixture.now) == "12:41:40")
        #expect(TimeText.clockMillis(Fixture.now + 0.25) == "12:41:40.250")
    }

    @Test func tooSmallSaysWhatIsNeeded() {
        var state = Fixture.appState()
        _ = update(&state, .resized(width: 79, height: 30))
        #expect(Dashboard.renderFrame(state: state).plainText().contains("this terminal is 79x30"))
    }
}
