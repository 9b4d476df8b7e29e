import Actions
@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// The requeue flow through `update`: preview first, one dialog built from it, `y` starts exactly
/// what was previewed, `P`/`C` steer the run, progress links copies and draws the requeue line.
@Suite("RequeueFlow")
struct RequeueFlowTests {
    typealias Fixture = StormFixture
    typealias Preview = RequeuePreviewFixture

    func send(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        keys.flatMap { update(&state, .key($0)) }
    }

    func screen(_ state: AppState) -> String {
        Dashboard.renderFrame(state: state).plainText()
    }

    /// `R` on the selected retrying task, answered with `preview(request)`.
    func previewed(
        _ state: inout AppState, refuse: (RequeueRequest) -> Set<String> = { _ in [] }, duplicates: [String] = []
    ) throws -> (RequeueRequest, RequeuePreview) {
        let effects = send(&state, .char("R"))
        let request = try #require(Preview.pendingRequest(state))
        #expect(effects == [.previewRequeue(request)])
        let preview = Preview.preview(request, refuse: refuse(request), duplicates: duplicates)
        _ = update(&state, .commandFinished(.requeuePreview(preview)))
        return (request, preview)
    }

    @Test func requeueKeyAsksForAPreviewAndShowsThatItIsPreparing() throws {
        var state = Fixture.appState()
        let target = try #require(state.selectedID(in: .retrying))
        let effects = send(&state, .char("R"))
        let request = RequeueRequest(subjects: [RequeueSubject(record: try #require(state.monitor.tasks[target]))], pace: .unpaced)
        #expect(effects == [.previewRequeue(request)])
        #expect(state.mode == .normal, "no dialog before the preview answers")
        #expect(screen(state).contains("Preparing requeue preview of 1 task (finding exact arguments)"))
        // A second press while preparing asks nothing more.
        #expect(send(&state, .char("R")).isEmpty)
        #expect(state.visibleStatus?.text.contains("Still preparing") == true)
    }

    @Test func bulkRequeueOfAGroupPreviewsEveryFailedTaskAtThePace() throws {
        var state = Fixture.appState()
        _ = send(&state, .tab, .tab, .tab, .tab)
        let effects = send(&state, .char("A"))
        guard case .previewRequeue(let request)? = effects.first else { Issue.record("\(effects)"); return }
        let name = "tasks.fetch_api_data"
        let failed = state.monitor.recentFailures.filter { state.monitor.tasks[$0]?.name == name && state.monitor.tasks[$0]?.state == .failure }.map(\.string)
        #expect(request.subjects.map(\.id) == failed && failed.count > 1)
        #expect(request.pace == RequeuePace.default)
        #expect(state.pendingRequeue?.scope == "every failed task of \(name)")
    }

    @Test func previewOpensTheDialogWithSourcesRefusalsDuplicatesAndPace() throws {
        var state = Fixture.appState()
        _ = send(&state, .tab, .tab, .tab, .tab)
        _ = send(&state, .char("A"))
        let request = try #require(Preview.pendingRequest(state))
        let refused = Set(request.subjects.suffix(1).map(\.id))
        let preview = Preview.preview(request, refuse: refused, duplicates: [request.subjects[0].id])
        _ = update(&state, .commandFinished(.requeuePreview(preview)))
        guard case .confirm(let confirmation) = state.mode else { Issue.record("no dialog"); return }
        let text = confirmation.lines.joined(separator: "\n")
        let sending = request.subjects.count - 1
        #expect(confirmation.title == "Requeue \(sending) tasks?")
        #expect(text.contains("Send \(sending) of \(request.subjects.count) tasks (every failed task of tasks.fetch_api_data) again as new tasks"))
        #expect(text.contains("new task ids, same name, exact args and kwargs, original queue and priority"))
        #expect(text.contains("Arguments from: "), "\(text)")
        let counts = preview.countsBySource
        for source in ArgumentSource.allCases {
            if let count = counts[source] { #expect(text.contains("\(count) \(Confirmation.sourceLabel(source))")) }
        }
        #expect(text.contains("Refused 1 (no exact arguments):"))
        #expect(text.contains("1 × \(Preview.truncatedReason) [\(refused.first!.prefix(8))]"))
        #expect(text.contains("How to enable exact requeue: \(RequeueRefusal.enableExactRequeue)."))
        #expect(text.contains("1 duplicate ids dropped"))
        #expect(text.contains("Paced at 20/s ±10% jitter: about 0:01 to finish"))
        #expect(state.pendingRequeue == nil)
        let drawn = screen(state)
        #expect(drawn.contains("y confirm") && drawn.contains("n/Esc cancel"))
    }

    @Test func yesEmitsExactlyStartRequeueOfThePreviewAtThePace() throws {
        var state = Fixture.appState()
        _ = send(&state, .char(" "), .char(" "))
        let (request, preview) = try previewed(&state)
        let effects = send(&state, .char("y"))
        #expect(effects == [.startRequeue(preview, request.pace)])
        #expect(effects.allSatisfy { $0.isDangerous })
        #expect(state.mode == .normal)
        #expect(state.requeue?.isRunning == true && state.requeue?.progress.total == 2)
        #expect(screen(state).contains("Requeue 0/2"))
    }

    @Test func noAndEscapeCloseTheRequeueDialogWithoutEffects() throws {
        for cancel in [Key.char("n"), .escape] {
            var state = Fixture.appState()
            _ = try previewed(&state)
            #expect(send(&state, cancel).isEmpty)
            #expect(state.mode == .normal && state.requeue == nil)
            #expect(state.visibleStatus?.text.contains("nothing was sent") == true)
        }
    }

    @Test func anAllRefusedPreviewSaysSoAndOffersNoYes() throws {
        var state = Fixture.appState()
        _ = try previewed(&state, refuse: { Set($0.subjects.map(\.id)) })
        guard case .confirm(let confirmation) = state.mode else { Issue.record("no dialog"); return }
        #expect(confirmation.effect == nil)
        #expect(confirmation.title == "Nothing to requeue: 1 refused")
        #expect(confirmation.lines[0].contains("No exact arguments for the task: nothing will be sent"))
        #expect(confirmation.lines.contains { $0.hasPrefix("How to enable exact requeue:") })
        #expect(state.footerHints == [KeyHint("n/Esc", "close")])
        let drawn = screen(state)
        #expect(!drawn.contains("y confirm") && drawn.contains("n/Esc close"))
        #expect(send(&state, .char("y")).isEmpty)
        #expect(state.mode == .confirm(confirmation), "y does nothing here")
        #expect(send(&state, .escape).isEmpty)
        #expect(state.mode == .normal && state.requeue == nil)
    }

    /// Repair once: after a bulk requeue of a group's failures, `A` again offers nothing new; `f` sends them anyway.
    @Test func aSecondBulkRequeueSkipsTasksAlreadyRequeuedAndFSendsThemAnyway() throws {
        var state = Fixture.appState()
        _ = send(&state, .tab, .tab, .tab, .tab)
        _ = send(&state, .char("A"))
        let first = try #require(Preview.pendingRequest(state))
        let firstPreview = Preview.preview(first)
        _ = update(&state, .commandFinished(.requeuePreview(firstPreview)))
        #expect(send(&state, .char("y")) == [.startRequeue(firstPreview, first.pace)])
        _ = update(&state, .commandFinished(.requeueProgress(Preview.progress(firstPreview, sent: firstPreview.plans.count, finished: true))))
        for subject in first.subjects { #expect(state.monitor.tasks[subject.id]?.requeuedAs != nil) }

        _ = send(&state, .char("A"))
        let second = try #require(Preview.pendingRequest(state))
        #expect(second.subjects.map(\.id) == first.subjects.map(\.id))
        #expect(second.subjects.allSatisfy { $0.requeuedAs != nil })
        let secondPreview = Preview.preview(second)
        _ = update(&state, .commandFinished(.requeuePreview(secondPreview)))
        guard case .confirm(let skipping) = state.mode else { Issue.record("no dialog"); return }
        let count = first.subjects.count
        #expect(skipping.title == "Nothing to requeue: \(count) already requeued")
        #expect(skipping.effect == nil)
        #expect(skipping.lines.contains("\(count) already requeued (skipped); send anyway with f."), "\(skipping.lines)")
        #expect(state.footerHints == [KeyHint("f", "send anyway"), KeyHint("n/Esc", "close")])
        #expect(send(&state, .char("y")).isEmpty, "y sends nothing new")
        #expect(state.mode == .confirm(skipping))

        #expect(send(&state, .char("f")).isEmpty)
        guard case .confirm(let forced) = state.mode else { Issue.record("f closed the dialog"); return }
        #expect(forced.title == "Requeue \(count) tasks?")
        #expect(forced.lines.contains { $0.contains("\(count) already requeued: sending them again (forced with f)") })
        #expect(send(&state, .char("y")) == [.startRequeue(secondPreview, second.pace)])
    }

    @Test func aMixedBulkRequeueSendsOnlyTheNewOnes() throws {
        var state = Fixture.appState()
        _ = send(&state, .tab, .tab, .tab, .tab)
        _ = send(&state, .char("A"))
        let request = try #require(Preview.pendingRequest(state))
        let ids = request.subjects.map(\.id)
        #expect(ids.count > 2)
        state.monitor.linkRequeue(original: ids[0], copy: "copy-earlier", name: "tasks.fetch_api_data", at: state.now)
        var marked = request
        marked.subjects[0].requeuedAs = "copy-earlier"
        let preview = Preview.preview(marked)
        _ = update(&state, .commandFinished(.requeuePreview(preview)))
        guard case .confirm(let confirmation) = state.mode else { Issue.record("no dialog"); return }
        #expect(confirmation.title == "Requeue \(ids.count - 1) tasks?")
        #expect(confirmation.lines.contains("1 already requeued (skipped); send anyway with f."))
        #expect(state.footerHints.contains(KeyHint("f", "send anyway")) && state.footerHints.contains(KeyHint("y", "confirm")))
        #expect(send(&state, .char("y")) == [.startRequeue(preview.skippingAlreadyRequeued(), request.pace)])
    }

    @Test func fDoesNothingInADialogWithoutRepeats() throws {
        var state = Fixture.appState()
        _ = try previewed(&state)
        guard case .confirm(let confirmation) = state.mode else { Issue.record("no dialog"); return }
        #expect(send(&state, .char("f")).isEmpty)
        #expect(state.mode == .confirm(confirmation))
        #expect(!state.footerHints.contains { $0.label == "send anyway" })
    }

    @Test func pauseAndAbortEmitControlEffectsOnlyWhileARunIsActive() throws {
        var state = Fixture.appState()
        #expect(send(&state, .char("P")).isEmpty)
        #expect(state.visibleStatus?.text.contains("No requeue is running") == true)
        #expect(send(&state, .char("C")).isEmpty)

        _ = send(&state, .char(" "), .char(" "))
        let (_, preview) = try previewed(&state)
        _ = send(&state, .char("y"))
        #expect(send(&state, .char("P")) == [.pauseRequeue])
        #expect(screen(state).contains("Requeue PAUSED 0/2"))
        #expect(screen(state).contains("P resume  C abort"))
        #expect(send(&state, .char("P")) == [.resumeRequeue])
        #expect(screen(state).contains("P pause  C abort"))
        // Another requeue is refused while this one runs.
        #expect(send(&state, .char("R")).isEmpty)
        #expect(state.visibleStatus?.text.contains("A requeue is running") == true)
        #expect(send(&state, .char("C")) == [.abortRequeue])
        #expect(screen(state).contains("Requeue aborting 0/2"))

        var finished = Preview.progress(preview, sent: 1, finished: true)
        finished.aborted = true
        _ = update(&state, .commandFinished(.requeueProgress(finished)))
        #expect(send(&state, .char("P")).isEmpty && send(&state, .char("C")).isEmpty)
        #expect(state.visibleStatus?.text.contains("No requeue is running") == true)
    }

    @Test func progressLinksCopiesBothWaysAndTheDetailSaysSo() throws {
        var state = Fixture.appState()
        _ = send(&state, .char(" "), .char(" "))
        let (_, preview) = try previewed(&state)
        _ = send(&state, .char("y"))
        _ = update(&state, .commandFinished(.requeueProgress(Preview.progress(preview, sent: 1))))
        let original = preview.plans[0].originalID
        let copy = Preview.copyID(0)
        #expect(state.monitor.tasks[original]?.requeuedAs == copy)
        #expect(state.monitor.tasks[copy]?.requeueOf == original)
        #expect(state.monitor.tasks[copy]?.name == preview.plans[0].name)
        #expect(!state.marks.contains(original), "a requeued task is unmarked")
        let line = screen(state)
        #expect(line.contains("Requeue 1/2") && line.contains("20/s ±10%") && line.contains("sent 1  refused 0  failed 0"))

        _ = send(&state, .char(":"))
        for ch in original.prefix(8) { _ = send(&state, .char(ch)) }
        _ = send(&state, .enter)
        #expect(screen(state).contains("requeued as \(copy)"))
        _ = send(&state, .escape, .char(":"))
        for ch in copy { _ = send(&state, .char(ch)) }
        _ = send(&state, .enter)
        #expect(state.screen == .taskDetail(taskID: copy))
        #expect(screen(state).contains("requeue of \(original)"))
    }

    @Test func theRequeueLineFitsEightyColumns() throws {
        var state = Fixture.appState(width: 80, height: 24)
        _ = send(&state, .char(" "), .char(" "))
        let (_, preview) = try previewed(&state)
        _ = send(&state, .char("y"))
        _ = update(&state, .commandFinished(.requeueProgress(Preview.progress(preview, sent: 1))))
        let row = Dashboard.renderFrame(state: state).line(2)
        #expect(row.contains("Requeue 1/2") && row.contains("sent 1  refused 0  failed 0") && row.hasSuffix("P pause  C abort"), "\(row)")
    }

    @Test func theSummaryStaysAWhileThenTheLineGoes() throws {
        var state = Fixture.appState()
        _ = send(&state, .char(" "), .char(" "))
        let (_, preview) = try previewed(&state, refuse: { Set($0.subjects.suffix(1).map(\.id)) })
        _ = send(&state, .char("y"))
        let rowsRunning = state.frameLayout.content.height
        _ = update(&state, .commandFinished(.requeueProgress(Preview.progress(preview, sent: 1, finished: true))))
        #expect(state.requeue?.isRunning == false)
        let drawn = screen(state)
        #expect(drawn.contains("Requeue finished 2/2") && drawn.contains("sent 1  refused 1  failed 0"), "\(drawn)")
        #expect(state.visibleStatus?.text.hasPrefix("Requeue finished: 1 sent, 1 refused") == true)
        _ = update(&state, .tick(now: Fixture.now + AppState.requeueSummarySeconds - 1))
        #expect(screen(state).contains("Requeue finished 2/2"))
        _ = update(&state, .tick(now: Fixture.now + AppState.requeueSummarySeconds))
        #expect(state.requeue == nil && !screen(state).contains("Requeue finished"))
        // The outcome line stays until dismissed.
        #expect(screen(state).contains("Requeue done: 1 sent (1 not seen yet), 1 refused"))
        _ = send(&state, .char("o"))
        #expect(state.frameLayout.content.height == rowsRunning + 1, "the lines give their rows back")
    }

    @Test func aFailedPreviewOrStartClearsTheFlow() throws {
        var state = Fixture.appState()
        _ = send(&state, .char("R"))
        _ = update(&state, .commandFinished(.failed(action: Effect.previewAction, message: "broker down")))
        #expect(state.pendingRequeue == nil && state.mode == .normal)
        #expect(state.visibleStatus?.text == "requeue preview failed: broker down")
        let (_, _) = try previewed(&state)
        _ = send(&state, .char("y"))
        _ = update(&state, .commandFinished(.failed(action: Effect.requeueAction, message: "read-only")))
        #expect(state.requeue == nil)
        // A revoke failure leaves a running requeue alone.
        _ = try previewed(&state)
        _ = send(&state, .char("y"))
        _ = update(&state, .commandFinished(.failed(action: "revoke", message: "timeout")))
        #expect(state.requeue?.isRunning == true)
    }

    @Test func aPreviewWithNothingPendingIsIgnored() {
        var state = Fixture.appState()
        _ = update(&state, .commandFinished(.requeuePreview(RequeuePreview())))
        #expect(state.mode == .normal)
    }

    @Test func controlKeysAreInTheTableAndNotDangerous() {
        let pause = Keymap.table.first { $0.command == .togglePauseRequeue }
        let abort = Keymap.table.first { $0.command == .abortRequeue }
        #expect(pause?.keys == [.char("P")] && pause?.scope == .global && pause?.isDangerous == false)
        #expect(abort?.keys == [.char("C")] && abort?.scope == .global && abort?.isDangerous == false)
        #expect(Keymap(readOnly: true).command(for: .char("P"), in: [.global]) == .togglePauseRequeue)
        #expect(Keymap(readOnly: true).command(for: .char("R"), in: [.global, .list]) == nil)
        #expect(Keymap.markdownTable().contains("| `P` | Everywhere | pause or resume the running requeue"))
    }
}
