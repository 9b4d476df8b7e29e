import Actions
import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// Every screen of the dashboard against its golden file in `Screens/`.
@Suite("GoldenScreens", .serialized)
struct GoldenScreenTests {
    /// A screen: its name, size, what it shows, and the keys that lead to it from the storm overview.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var width: Int
        var height: Int
        var about: String
        var readOnly = false
        var keys: [Key] = []
        var prepare: @Sendable (inout AppState) -> Void = { _ in }
        /// Runs after `keys`: answers the effects the keys asked for, as the runtime would.
        var then: @Sendable (inout AppState) -> Void = { _ in }
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "overview-storm-120x36", width: 120, height: 36, about: "overview during the storm: storm indicator, countdowns, rates, workers, failures"),
        Case(name: "retrying-pane-focused", width: 120, height: 36, about: "Retrying pane focused, selection moved down three rows, one task marked",
             keys: [.char("j"), .char("j"), .char(" "), .char("j")]),
        Case(name: "overview-80x24", width: 80, height: 24, about: "smallest supported terminal: focused pane expanded, others one line each"),
        Case(name: "overview-200x50", width: 200, height: 50, about: "wide terminal: extra columns (worker, id, top error)"),
        Case(name: "storms-list", width: 120, height: 36, about: "the banner's storms as a list (`!`): the Rates pane shows only storming names, worst first",
             keys: [.char("!")]),
        Case(name: "rates-24h", width: 200, height: 50,
             about: "the Rates pane's sparklines over the last 24 h from the journal (`H`), one name known only from the journal",
             keys: [.char("H")],
             prepare: {
                 let status = JournalStatus(mode: .writing, path: "/var/lib/retrytop/journal.sqlite")
                 _ = update(&$0, .journal(JournalDelivery(status: status, rates: JournalRatesTests.nightAndDay(endingAt: StormFixture.now))))
             }),
        Case(name: "exceptions", width: 120, height: 36, about: "exceptions grouped by fingerprint (`e`)", keys: [.char("e")]),
        Case(name: "exceptions-drilldown", width: 120, height: 36, about: "tasks of the top exception group (`e`, Enter)", keys: [.char("e"), .enter]),
        Case(name: "task-detail", width: 120, height: 36, about: "task detail: attempt history, pending attempt countdown, traceback preview",
             keys: goTo(StormFixture.detailTaskID)),
        Case(name: "task-detail-gap", width: 120, height: 36,
             about: "task detail of a task whose history spans a stall; the header counts the gap after the link came back",
             keys: goTo(StormFixture.detailTaskID),
             prepare: { state in
                 let gap = ConnectionState.Gap(from: StormFixture.start + 863, to: StormFixture.start + 883, reason: ConnectionState.stalledReason)
                 let connection = ConnectionState(
                     phase: .connected, since: StormFixture.start + 883, redactedURL: "redis://:***@10.0.0.5:6379/0",
                     pattern: "/0.celeryev/*", gaps: [gap])
                 _ = update(&state, .connection(connection))
             }),
        Case(name: "traceback", width: 120, height: 36, about: "traceback viewer for attempt 3 (`k`, `t` in the detail)",
             keys: goTo(StormFixture.detailTaskID) + [.char("k"), .char("t")]),
        Case(name: "help", width: 120, height: 36, about: "help generated from the key table (`?`)", keys: [.char("?")]),
        Case(name: "help-read-only", width: 120, height: 36, about: "help with --read-only: actions listed as disabled", readOnly: true, keys: [.char("?")]),
        Case(name: "filter", width: 120, height: 36, about: "typing a filter (`/exc:timeout`): panes narrow live",
             keys: [.char("/")] + "exc:timeout".map { Key.char($0) }),
        Case(name: "goto-id", width: 120, height: 36, about: "go to id (`:` and a pasted prefix)",
             keys: [.char(":")] + StormFixture.detailTaskID.prefix(8).map { Key.char($0) }),
        Case(name: "confirm-revoke", width: 120, height: 36, about: "confirmation of a revoke of two marked tasks, one running",
             keys: [.char(" "), .tab, .char(" "), .char("x")]),
        Case(name: "confirm-bulk-requeue", width: 120, height: 36,
             about: "confirmation of a paced bulk requeue of every failed fetch_api_data (`A`), from the port's preview: sources, one refused, one duplicate",
             keys: [.tab, .tab, .tab, .tab, .char("A")], then: { answerPreview(&$0, refuseLast: 1, duplicate: true) }),
        Case(name: "confirm-requeue-refused", width: 120, height: 36,
             about: "requeue (`R`) of a task without exact arguments: the dialog says why and how to enable exact requeue; no `y`",
             keys: [.char("R")], then: { answerPreview(&$0, refuseLast: 1) }),
        Case(name: "confirm-requeue-repeats", width: 120, height: 36,
             about: "repair once: `A` again after every failed fetch_api_data was requeued: nothing new to send, `f` sends anyway",
             keys: [.tab, .tab, .tab, .tab, .char("A")],
             then: { state in
                 let first = answerPreview(&state, refuseLast: 0)
                 _ = update(&state, .key(.char("y")))
                 _ = update(&state, .commandFinished(.requeueProgress(
                     RequeuePreviewFixture.progress(first, sent: first.plans.count, finished: true))))
                 _ = update(&state, .key(.char("A")))
                 answerPreview(&state, refuseLast: 0)
             }),
        Case(name: "requeue-progress", width: 120, height: 36,
             about: "a paced bulk requeue running: the requeue line under the header (progress, pace, counts, P pause, C abort)",
             keys: [.tab, .tab, .tab, .tab, .char("A")],
             then: { state in
                 let preview = answerPreview(&state, refuseLast: 1)
                 _ = update(&state, .key(.char("y")))
                 _ = update(&state, .commandFinished(.requeueProgress(RequeuePreviewFixture.progress(preview, sent: 3))))
             }),
        Case(name: "help-legend-80x24", width: 80, height: 24, about: "`?` at 80x24: the legend of the focused pane's columns comes first", keys: [.char("?")]),
        Case(name: "late-rows-120x36", width: 120, height: 36,
             about: "8 s later with no new event: due attempts say how late they are, workers how many wait for a pool slot",
             prepare: { _ = update(&$0, .tick(now: StormFixture.now + 8)) }),
        Case(name: "late-rows-80x24", width: 80, height: 24, about: "late rows at the smallest size",
             prepare: { _ = update(&$0, .tick(now: StormFixture.now + 8)) }),
        Case(name: "workers-late-80x24", width: 80, height: 24, about: "the workers pane focused, 8 s later: LATE per worker",
             keys: [.tab, .tab, .tab], prepare: { _ = update(&$0, .tick(now: StormFixture.now + 8)) }),
        Case(name: "exceptions-80x24", width: 80, height: 24, about: "exception groups at 80x24: first seen, sparkline, task names, workers", keys: [.char("e")]),
        Case(name: "exceptions-200x50", width: 200, height: 50, about: "exception groups wide: first seen, sparkline, task names, workers", keys: [.char("e")]),
        Case(name: "overview-no-color-80x24", width: 80, height: 24,
             about: "NO_COLOR: the monochrome theme; the focused pane's title is reversed", prepare: { $0.theme = .monochrome }),
        Case(name: "confirm-rate-limit", width: 120, height: 36,
             about: "throttle from the Rates pane (`L`, Enter on the default 10/m): workers, effective total, prefetch warning",
             keys: [.tab, .tab, .char("L"), .enter]),
        Case(name: "worker-changes", width: 120, height: 36,
             about: "after two changes (rate limit, stopped queue): the changes list under the header (U undo) and the outcome line with the read-back (o dismisses)",
             keys: [.tab, .tab, .char("L"), .enter, .char("y")],
             then: { state in
                 let online = ["celery@api-1", "celery@api-2"]
                 let limit = WorkerChangeRequest(change: .rateLimit(task: "tasks.fetch_api_data", rate: "10/m"), destination: nil, expected: online)
                 _ = update(&state, .commandFinished(.workersChanged(WorkerChangeResult(
                     request: limit, ok: ["celery@api-1": "new rate limit set successfully", "celery@api-2": "new rate limit set successfully"],
                     previous: ["celery@api-1": "", "celery@api-2": ""], readBack: ["celery@api-1": "10/m", "celery@api-2": "10/m"]))))
                 let queue = WorkerChangeRequest(change: .cancelConsumer(queue: "billing"), destination: nil, expected: online)
                 _ = update(&state, .commandFinished(.workersChanged(WorkerChangeResult(
                     request: queue, ok: ["celery@api-1": "no longer consuming from 'billing'"], previous: ["celery@api-1": "consuming"],
                     readBack: ["celery@api-1": "not consuming"]))))
             }),
        Case(name: "confirm-revoke-by-name-terminate", width: 120, height: 36,
             about: "`D` on fetch_api_data, then `t` in the same dialog: the running ones are added and terminated",
             keys: [.tab, .tab, .char("D"), .char("t")]),
        Case(name: "revoke-outcome", width: 120, height: 36,
             about: "the outcome line after `D`, `y`: counted from the events that followed (two revoked while waiting, the rest not yet)",
             keys: [.tab, .tab, .char("D"), .char("y")],
             then: { state in
                 // The runtime's answer to the revoke `y` sent, then two workers' task-revoked events.
                 let ids = state.monitor.tasks(named: "tasks.fetch_api_data", in: .retry)
                 let request = RevokeRequest(ids: ids, terminate: false, signal: "SIGTERM")
                 _ = update(&state, .commandFinished(.revoked(RevokeOutcome(request: request, receivers: 2))))
                 var builder = EventBuilder(worker: "celery@api-1", time: StormFixture.now)
                 _ = update(&state, .events([builder.make(.taskRevoked, ids[0]), builder.make(.taskRevoked, ids[1])]))
             }),
        Case(name: "reconnecting-banner", width: 120, height: 36, about: "the red banner while the subscriber reconnects",
             prepare: { state in
                 let connection = ConnectionState(
                     phase: .reconnecting, since: StormFixture.now - 12, attempt: 3, reason: "Connection refused",
                     redactedURL: "redis://:***@10.0.0.5:6379/0", pattern: "/0.celeryev/*", reconnects: 1)
                 _ = update(&state, .connection(connection))
             }),
        Case(name: "inbox-shedding", width: 120, height: 36,
             about: "decode cannot keep up: the inbox sheds whole messages, the header says how fast (last 5 s) and how many in all",
             prepare: { state in
                 let now = StormFixture.now
                 for (second, total) in [(5.0, 0), (3.0, 4_100), (2.0, 9_350), (1.0, 15_210)] {
                     _ = update(&state, .tick(now: now - second))
                     _ = update(&state, .linkCounters(LinkCounters(inboxDropped: total)))
                 }
                 _ = update(&state, .tick(now: now))
             }),
        Case(name: "too-small", width: 60, height: 20, about: "below the minimum size"),
        Case(name: "hostile-text-120x36", width: 120, height: 36,
             about: "names, host and args with ZWJ emoji, flags, VS16, skin tones and stacked marks: drawn as safe stand-ins, borders aligned",
             prepare: { _ = update(&$0, .events(HostileTextFixture.events())) }),
        Case(name: "hostile-text-detail", width: 120, height: 36, about: "the detail of a task whose name, args and exception hold such text",
             keys: goTo(HostileTextFixture.retryingID), prepare: { _ = update(&$0, .events(HostileTextFixture.events())) }),
        Case(name: "overview-ascii-120x36", width: 120, height: 36,
             about: "the storm overview in a non-UTF-8 locale (or --ascii): ASCII borders, bars and markers, same layout",
             prepare: { $0.glyphs = .ascii }),
        Case(name: "backfill-progress", width: 120, height: 36,
             about: "the header 2 s after start: backfill reads unacked (bar and counts), the queues (done), inspect and the result backend (keys so far); queue depths; no storm called before a baseline",
             prepare: { state in
                 var status = BackfillStatus(enabled: true, watchingSince: StormFixture.now - 2)
                 status.update(BackfillSourceReport(source: .unacked, phase: .running, tasksFound: 1_200, keysScanned: 1_200, total: 4_000))
                 status.update(BackfillSourceReport(source: .queue, phase: .done, tasksFound: 12_575, keysScanned: 12_575, total: 12_575))
                 status.update(BackfillSourceReport(source: .inspect, phase: .running, tasksFound: 16, keysScanned: 16))
                 status.update(BackfillSourceReport(source: .resultBackend, phase: .running, tasksFound: 30_000, keysScanned: 31_000))
                 _ = update(&state, .backfill(tasks: [], status: status))
                 _ = update(&state, .queues(QueueDepths(
                     queues: [QueueDepth(name: "celery", bySteps: [12_001, 0, 344, 0]), QueueDepth(name: "billing", bySteps: [230, 0, 0, 0])],
                     readAt: StormFixture.now - 1)))
             }),
        Case(name: "task-detail-backfilled", width: 120, height: 36,
             about: "a task already in backoff at start: attempt 3's RETRY from the result backend, attempt 4 held in unacked by billing-2 (inspect); attempts 1–2 before retrytop started; watching since",
             keys: goTo(backfilledID),
             prepare: { state in
                 var status = BackfillStatus(enabled: true, watchingSince: StormFixture.now - 60)
                 status.update(BackfillSourceReport(source: .unacked, phase: .done, tasksFound: 1, keysScanned: 1, total: 1))
                 status.update(BackfillSourceReport(source: .resultBackend, phase: .done, tasksFound: 1, keysScanned: 1))
                 let readAt = StormFixture.now - 60
                 let tasks = [
                     BackfilledTask(
                         id: backfilledID, source: .unacked, name: "billing.charge_card", retries: 3, eta: StormFixture.now + 45,
                         args: "[1042]", kwargs: #"{"currency": "EUR"}"#, queue: "billing", priority: 0, readAt: readAt),
                     BackfilledTask(
                         id: backfilledID, source: .inspect, name: "billing.charge_card", eta: StormFixture.now + 45,
                         args: "[1042]", kwargs: #"{"currency": "EUR"}"#, queue: "billing", priority: 0, worker: "billing-2@prod", readAt: readAt),
                     BackfilledTask(
                         id: backfilledID, source: .resultBackend, name: "billing.charge_card", retries: 2, state: .retry,
                         exception: "TimeoutError('card gateway timed out')",
                         traceback: "Traceback (most recent call last):\n  File \"billing.py\", line 12, in charge_card\nTimeoutError: card gateway timed out\n",
                         worker: "billing-1@prod", readAt: readAt + 0.1),
                 ]
                 _ = update(&state, .backfill(tasks: tasks, status: status))
             }),
        Case(name: "worker-80x24", width: 80, height: 24,
             about: "worker view (Workers pane, Enter) at the smallest size: pool, concurrency, queues, heartbeat history, tasks from inspect",
             keys: [.tab, .tab, .tab, .enter], then: { _ = update(&$0, .commandFinished(.workerInspection(WorkerViewTests.answer()))) }),
        Case(name: "worker-200x50", width: 200, height: 50, about: "worker view on a wide terminal: full task ids",
             keys: [.tab, .tab, .tab, .enter], then: { _ = update(&$0, .commandFinished(.workerInspection(WorkerViewTests.answer()))) }),
        Case(name: "replay-paused", width: 120, height: 36, about: "a replay paused: its time and event n/N in the status line, with its keys",
             prepare: { _ = update(&$0, .replay(ReplayKeysTests.position)) }),
        Case(name: "worker-asking", width: 120, height: 36, about: "worker view while the worker has not answered yet",
             keys: [.tab, .tab, .tab, .enter]),
    ]

    static let backfilledID = "bf0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3"

    static func goTo(_ id: String) -> [Key] {
        [.char(":")] + id.prefix(8).map { Key.char($0) } + [.enter]
    }

    static func render(_ testCase: Case) -> Grid {
        var state = StormFixture.appState(width: testCase.width, height: testCase.height, readOnly: testCase.readOnly)
        testCase.prepare(&state)
        for key in testCase.keys { _ = update(&state, .key(key)) }
        testCase.then(&state)
        return Dashboard.renderFrame(state: state)
    }

    /// Answers the pending requeue preview: the last `refuseLast` subjects refused, the first one
    /// listed as a dropped duplicate when `duplicate`.
    @discardableResult
    static func answerPreview(_ state: inout AppState, refuseLast: Int, duplicate: Bool = false) -> RequeuePreview {
        guard let request = state.pendingRequeue?.request else { return RequeuePreview() }
        let refused = Set(request.subjects.suffix(refuseLast).map(\.id))
        let preview = RequeuePreviewFixture.preview(request, refuse: refused, duplicates: duplicate ? [request.subjects[0].id] : [])
        _ = update(&state, .commandFinished(.requeuePreview(preview)))
        return preview
    }

    @Test(arguments: cases)
    func screen(_ testCase: Case) {
        let grid = Self.render(testCase)
        let failure = GoldenScreen.check(grid, named: testCase.name)
        #expect(failure == nil, "\(failure ?? "")")
        // Every row takes exactly the screen's width on a terminal (glibc's `wcwidth`, scalar by
        // scalar, as tmux counts): no text shifts a border or leaves a stale cell.
        for y in 0..<grid.height {
            let (text, columns) = TerminalWidthOracle.row(y, of: grid)
            #expect(columns == grid.width, "row \(y): \(text)")
        }
    }

    @Test func index() {
        let entries = Self.cases.map { (name: $0.name, size: "\($0.width)x\($0.height)", about: $0.about) }
        let recorded = GoldenScreen.recordIndex(entries)
        #expect(recorded == nil, "\(recorded ?? "")")
    }
}
