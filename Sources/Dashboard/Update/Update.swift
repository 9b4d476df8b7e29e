import Actions
import Monitor
import TerminalUI

/// Applies one message to the state and returns the effects to run at the edge.
///
/// The only place `AppState` changes. Pure: no I/O and no clock; time arrives as `.tick(now:)`.
/// Dangerous effects come out only when a `Confirmation` is accepted with `y`.
public func update(_ state: inout AppState, _ message: Message) -> [Effect] {
    switch message {
    case .tick(let now):
        state.now = now
        if let status = state.status, status.expiresAt <= now { state.status = nil }
        if let finished = state.requeue?.finishedAt, now - finished >= AppState.requeueSummarySeconds { state.requeue = nil }
        // The journal's batch first: the fold's changes of this frame, off to the writer thread.
        var effects: [Effect] = []
        if let facts = state.monitor.takeJournalFacts(gaps: state.link.connection.gaps) { effects.append(.journal(facts)) }
        // Retry policies ("attempt 3/5", last-attempt marks) without a key press; `p` refreshes at once.
        guard now >= state.policiesDueAt else { return effects }
        state.policiesDueAt = now + AppState.policyRefreshSeconds
        return effects + [.refreshPolicies]
    case .resized(let width, let height):
        state.width = max(0, width)
        state.height = max(0, height)
        return []
    case .events(let batch):
        state.monitor.apply(batch)
        var touched = Set<TaskKey>()
        for event in batch { if let id = event.taskKey { touched.insert(id) } }
        state.retryingIndex.refresh(touched, in: state.monitor)
        state.activeIndex.refresh(touched, in: state.monitor)
        return state.reapplyChanges(onlineIn: batch)
    case .connection(let connection):
        state.link.connection = connection
        return []
    case .queues(let queues):
        state.link.queues = queues
        return []
    case .backfill(let tasks, let status):
        if let status { state.link.backfill = status }
        guard !tasks.isEmpty else { return [] }
        state.monitor.mergeBackfill(tasks)
        let touched = Set(tasks.map { TaskKey($0.id) })
        state.retryingIndex.refresh(touched, in: state.monitor)
        state.activeIndex.refresh(touched, in: state.monitor)
        return []
    case .linkCounters(let counters):
        state.link.absorb(counters)
        // At the last tick's time: the header turns the drops of the last seconds into a rate.
        state.link.inboxDropRate.record(total: state.link.inboxDropped, at: state.now)
        return []
    case .commandFinished(let result):
        state.apply(result)
        return []
    case .journal(let delivery):
        if let status = delivery.status { state.link.journal = status }
        if let rates = delivery.rates { state.journalRates = rates }
        guard !delivery.tasks.isEmpty else { return [] }
        state.monitor.mergeJournal(delivery.tasks)
        let touched = Set(delivery.tasks.map { TaskKey($0.id) })
        state.retryingIndex.refresh(touched, in: state.monitor)
        state.activeIndex.refresh(touched, in: state.monitor)
        return []
    case .key(let key):
        return state.handle(key)
    case .replay(let position):
        state.replay = position
        return []
    case .replayRestarted:
        state.restartFold()
        return []
    }
}

extension AppState {
    /// Routes a key by mode: input lines take typed characters, dialogs take y/n, the rest goes
    /// through the key table for the active scopes.
    mutating func handle(_ key: Key) -> [Effect] {
        if key == .resize { return [] }
        if case .mouse(let event) = key { return handleMouse(event) }
        let scopes = activeScopes
        switch mode {
        case .filter(let draft, let previous):
            return handleFilterKey(key, draft: draft, previous: previous)
        case .goToID(let draft):
            return handleGoToKey(key, draft: draft)
        case .workerInput(let input):
            return handleWorkerInputKey(key, input)
        case .confirm(let confirmation):
            switch keymap.command(for: key, in: scopes) {
            case .confirm:
                guard var effect = confirmation.effect else { return [] }
                mode = .normal
                if let states = confirmation.recheckStates, case .revoke(var request) = effect {
                    // Checked again now: tasks that finished or moved on while the dialog was open are not sent.
                    let still = request.ids.filter { monitor.tasks[$0].map { states.contains($0.state) } ?? false }
                    let gone = request.ids.count - still.count
                    let state = states.sorted().map(\.rawValue).joined(separator: " or ")
                    guard !still.isEmpty else {
                        setStatus("Nothing sent: none of the \(NumberText.grouped(request.ids.count)) tasks is still in \(state).", .warning)
                        return []
                    }
                    request.ids = still
                    effect = .revoke(request)
                    let verb = request.terminate ? "Terminate" : "Revoke"
                    setStatus("Sending: \(verb) \(NumberText.grouped(still.count)) \(still.count == 1 ? "task" : "tasks")…"
                        + (gone > 0 ? " (\(NumberText.grouped(gone)) no longer \(state): not sent)" : ""), gone > 0 ? .warning : .info)
                    return [effect]
                }
                if case .changeWorkers(let requests) = effect {
                    for request in requests { if case .undo(let id) = request.purpose { markUndoing(id) } }
                }
                setStatus("Sending: \(confirmation.title.dropLast())…", .info)
                if case .startRequeue(let preview, let pace) = effect {
                    // Shown at once; the runner's snapshots replace it from the next frame on.
                    var progress = RequeueProgress(total: preview.total)
                    progress.refused = preview.refusals.count
                    var run = RequeueActivity(pace: pace, progress: progress, startedAt: now)
                    if let dialog = confirmation.requeueDialog, !dialog.force { run.skipped = dialog.preview.repeats.count }
                    requeue = run
                }
                return [effect]
            case .cancel:
                mode = .normal
                setStatus(confirmation.effect == nil ? "Closed: nothing was sent." : "Cancelled: nothing was sent.", .info)
                return []
            case .forceRequeue:
                guard let dialog = confirmation.requeueDialog, dialog.offersForce else { return [] }
                mode = .confirm(Confirmation.requeue(dialog.preview, pending: dialog.pending, monitor: viewed, force: true))
                return []
            case .terminateRunning:
                guard let name = confirmation.revokeByName, case .revoke(let request) = confirmation.effect, !request.terminate else { return [] }
                let ids = Array(Set(request.ids).union(monitor.tasks(named: name, in: .started))).sorted()
                mode = .confirm(Confirmation.revoke(
                    ids, terminate: true, scope: "every retrying or running \(name)", monitor: viewed, onlyStates: [.retry, .started], byName: name))
                return []
            default:
                return []
            }
        case .help(let offset):
            switch keymap.command(for: key, in: scopes) {
            case .moveUp: mode = .help(offset: max(0, offset - 1))
            case .moveDown: mode = .help(offset: min(offset + 1, max(0, legendLines().count + keymap.helpLines().count - helpVisibleRows)))
            case .back: mode = .normal
            default: break
            }
            return []
        case .normal:
            if let command = keymap.command(for: key, in: scopes) { return perform(command) }
            if let disabled = keymap.disabledBinding(for: key, in: scopes) {
                setStatus("\(disabled.shortKeyLabel) (\(disabled.summary)) is disabled: retrytop runs with --read-only.", .warning)
            }
            return []
        }
    }

    private mutating func handleFilterKey(_ key: Key, draft: String, previous: String) -> [Effect] {
        switch keymap.command(for: key, in: [.input]) {
        case .acceptInput:
            setFilter(draft)
            // An unknown qualifier keeps the line open: the input line names it and the known ones.
            guard filter.unknownQualifiers.isEmpty else { return [] }
            mode = .normal
            if !draft.isEmpty { setStatus("Filter: \(draft)", .info) }
        case .cancelInput:
            mode = .normal
            setFilter("")
        case .deleteBackward:
            let next = String(draft.dropLast())
            mode = .filter(draft: next, previous: previous)
            setFilter(next)
        default:
            if case .char(let character) = key {
                let next = draft + String(character)
                mode = .filter(draft: next, previous: previous)
                setFilter(next)
            }
        }
        return []
    }

    private mutating func handleGoToKey(_ key: Key, draft: String) -> [Effect] {
        switch keymap.command(for: key, in: [.input]) {
        case .acceptInput:
            mode = .normal
            goTo(draft)
        case .cancelInput:
            mode = .normal
        case .deleteBackward:
            mode = .goToID(draft: String(draft.dropLast()))
        default:
            if case .char(let character) = key { mode = .goToID(draft: draft + String(character)) }
        }
        return []
    }

    mutating func setFilter(_ text: String) {
        filterText = text
        filter = TaskFilter(parsing: text)
    }

    mutating func setStatus(_ text: String, _ severity: StatusMessage.Severity) {
        status = StatusMessage(text, severity: severity, expiresAt: now + AppState.statusSeconds)
    }

    /// Opens the detail of the task whose id is `text` or starts with it; says why when none or many do.
    mutating func goTo(_ text: String) {
        let query = String(text.filter { !$0.isWhitespace })
        guard !query.isEmpty else { return }
        let model = viewed
        if model.tasks[query] != nil {
            push(.taskDetail(taskID: query))
            return
        }
        guard query.count >= 4 else {
            setStatus("Type at least 4 characters of a task id (got \"\(query)\").", .warning)
            return
        }
        let found = model.tasks(withIDPrefix: query, limit: 2)
        switch found.count {
        case 0: setStatus("No tracked task id starts with \"\(query)\".", .warning)
        case 1: push(.taskDetail(taskID: found[0].id))
        default: setStatus("\"\(query)\" matches several tasks; type more of the id.", .warning)
        }
    }

    /// Folds a port's report into the model and the status line.
    mutating func apply(_ result: CommandResult) {
        switch result {
        case .workersChanged(let answer):
            applyWorkerChange(answer)
        case .workerChangeFailed(let request, let message):
            workerChangeFailed(request, message)
        case .revoked(let outcome):
            let ids = outcome.request.ids
            let noun = ids.count == 1 ? "task" : "tasks"
            let verb = outcome.request.terminate ? "Terminate" : "Revoke"
            if let error = outcome.error {
                setStatus("\(verb) failed: \(error)", .error)
                return
            }
            report = .revoke(RevokeTally(ids: ids, before: RevokeTally.states(of: ids, in: monitor), terminate: outcome.request.terminate))
            monitor.markRevokeSent(ids, at: now)
            frozen?.markRevokeSent(ids, at: now)
            marks.subtract(ids)
            if outcome.receivers == 0 {
                setStatus("\(verb) sent for \(ids.count) \(noun), but no worker is listening.", .warning)
            } else {
                setStatus("\(verb) sent for \(ids.count) \(noun) to \(outcome.receivers) workers; waiting for task-revoked.", .success)
            }
        case .requeuePreview(let preview):
            openRequeueConfirmation(preview)
        case .requeueProgress(let progress):
            applyRequeueProgress(progress)
        case .workerInspection(var inspection):
            inspection.answeredAt = now
            if inspectingWorker == inspection.hostname { inspectingWorker = nil }
            workerInspection = inspection
            if !inspection.missing.isEmpty {
                setStatus("\(inspection.hostname) did not answer \(inspection.missing.joined(separator: ", ")) in time.", .warning)
            }
        case .policies(let found):
            policies.merge(found) { _, new in new }
            setStatus("Retry policies known for \(policies.count) task names.", .success)
        case .failed(let action, let message):
            if action == Effect.previewAction { pendingRequeue = nil }
            if action == Effect.requeueAction { requeue = nil }
            if action == Effect.inspectWorkerAction { inspectingWorker = nil }
            setStatus("\(action) failed: \(message)", .error)
        }
    }
}
