import Monitor

extension AppState {
    /// Carries out one command from the key table.
    mutating func perform(_ command: Command) -> [Effect] {
        switch command {
        case .quit: return [.quit]
        case .help: mode = .help(offset: 0)
        case .back: back()
        case .filter: mode = .filter(draft: filterText, previous: filterText)
        case .goToID: mode = .goToID(draft: "")
        case .exceptions:
            if screen != .exceptions { push(.exceptions) }
        case .freeze: toggleFreeze()
        case .refreshPolicies:
            setStatus("Asking workers for retry policies…", .info)
            return [.inspectPolicies]
        case .nextPane, .previousPane:
            let panes = PaneID.overview
            let index = panes.firstIndex(of: focusedPane) ?? 0
            let step = command == .nextPane ? 1 : panes.count - 1
            focusedPane = panes[(index + step) % panes.count]
        case .moveUp, .moveDown, .top, .bottom, .pageUp, .pageDown:
            if case .traceback = screen { scrollTraceback(command) } else { moveSelection(command) }
        case .open: return open()
        case .filterWorker: filterWorker()
        case .listStorms:
            stormsOnly.toggle()
            if stormsOnly {
                // Worst first: the Rates pane's default order is retries in the last minute.
                focusedPane = .rates
                sorts[.rates] = nil
                cursors[.rates] = nil
                let count = stormAlerts.count
                setStatus(count == 0 ? "No storm now: the Rates pane will list names as they storm (! shows every name)"
                    : "\(count) storm\(count == 1 ? "" : "s") listed in the Rates pane, worst first (! shows every name)", .info)
            }
        case .inspectWorker:
            guard case .worker(let host) = screen else { break }
            return inspect(host)
        case .toggleTraceback: toggleTraceback()
        case .sortNext, .sortReverse: changeSort(command)
        case .mark: toggleMark()
        case .markAllMatching: markAllMatching()
        case .clearMarks:
            let count = marks.count
            marks = []
            setStatus("Cleared \(count) marks.", .info)
        case .revoke, .terminate, .requeue, .revokeRetryingOfName, .requeueFailedOfGroup, .rateLimitName, .toggleConsumer, .undoWorkerChange:
            return prepareDangerous(command)
        case .dismissReport:
            if report == nil { setStatus("No outcome line to dismiss.", .info) }
            report = nil
        case .togglePauseRequeue, .abortRequeue:
            return controlRequeue(command)
        case .replayPause, .replayStep, .replaySeekForward, .replaySeekBack:
            guard replay != nil else {
                setStatus("\(keymap.keyLabel(of: command)) works in a replay (retrytop replay FILE).", .info)
                return []
            }
            let control: ReplayControl = switch command {
            case .replayPause: .togglePause
            case .replayStep: .step
            case .replaySeekForward: .seek(seconds: ReplayControl.seekSeconds)
            default: .seek(seconds: -ReplayControl.seekSeconds)
            }
            return [.replay(control)]
        case .confirm, .cancel, .forceRequeue, .terminateRunning, .acceptInput, .cancelInput, .deleteBackward:
            break
        }
        return []
    }

    mutating func push(_ screen: Screen) {
        switch screen {
        case .groupTasks: cursors[.groupTasks] = nil
        case .taskDetail(let id):
            // Start on the newest attempt: the one waiting or running.
            let last = viewed.tasks[id]?.attempts.last.map { String($0.number) }
            cursors[.attempts] = PaneCursor(selectedID: last, lastIndex: .max)
        default: break
        }
        stack.append(screen)
        // Go-to-id and `e` push from any screen, so the stack has no natural depth: the oldest screens
        // above the overview give way.
        if stack.count > AppState.maxStackDepth { stack.removeSubrange(1...(stack.count - AppState.maxStackDepth)) }
    }

    mutating func back() {
        if stack.count > 1 {
            stack.removeLast()
        } else if !filterText.isEmpty {
            setFilter("")
            setStatus("Filter cleared.", .info)
        }
    }

    /// Starts the fold over (a replay went back in time): a fresh model with the same limits and
    /// link status (beside the model, never refolded); the view leaves any frozen copy.
    mutating func restartFold() {
        monitor = MonitorState(limits: monitor.limits)
        retryingIndex = TaskTimeIndex(.retrying, monitor)
        activeIndex = TaskTimeIndex(.active, monitor)
        frozen = nil
        frozenIndexes = nil
    }

    mutating func toggleFreeze() {
        if frozen == nil {
            frozen = monitor
            frozenIndexes = (retryingIndex, activeIndex)
            frozenAtEvents = monitor.stats.events
            setStatus("Frozen: the view holds still while events keep folding; Z to resume.", .info)
        } else {
            let missed = eventsSinceFreeze
            frozen = nil
            frozenIndexes = nil
            setStatus("Live again (\(NumberText.grouped(missed)) events folded while frozen).", .info)
        }
    }

    mutating func open() -> [Effect] {
        switch screen {
        case .overview:
            switch focusedPane {
            case .rates:
                if let name = selectedID(in: .rates) {
                    setFilter("name:\(name)")
                    focusedPane = .retrying
                    setStatus("Filter: name:\(name) (Esc clears)", .info)
                }
            case .workers:
                if let host = selectedID(in: .workers) {
                    push(.worker(hostname: host))
                    return inspect(host)
                }
            default:
                if let id = selectedID(in: focusedPane) { push(.taskDetail(taskID: id)) }
            }
        case .exceptions:
            if let fingerprint = selectedID(in: .exceptions) { push(.groupTasks(fingerprint: fingerprint)) }
        case .groupTasks:
            if let id = selectedID(in: .groupTasks) { push(.taskDetail(taskID: id)) }
        case .taskDetail:
            toggleTraceback()
        case .traceback, .worker:
            break
        }
        return []
    }

    /// Asks `host` for its pool, tasks and queues; the answer arrives as `.workerInspection`.
    mutating func inspect(_ host: String) -> [Effect] {
        inspectingWorker = host
        if workerInspection?.hostname != host { workerInspection = nil }
        return [.inspectWorker(host)]
    }

    /// Shows the tasks of a worker on the overview: the worker view's, the Workers pane's selection, or
    /// the selected task's worker. Enter on the Workers pane opens the worker view instead.
    mutating func filterWorker() {
        var host: String?
        switch screen {
        case .worker(let hostname): host = hostname
        case .overview:
            if focusedPane == .workers {
                host = selectedID(in: .workers)
            } else if focusedPane.listsTasks, let id = selectedID(in: focusedPane) {
                host = viewed.tasks[id]?.worker
            }
        default: break
        }
        guard let host else {
            setStatus("Select a worker (Workers pane) or a task that ran on one.", .info)
            return
        }
        stack = [.overview]
        setFilter("worker:\(host)")
        focusedPane = .active
        setStatus("Filter: worker:\(host) (Esc clears)", .info)
    }

    mutating func toggleTraceback() {
        switch screen {
        case .traceback:
            stack.removeLast()
        case .taskDetail(let id):
            guard let number = selectedID(in: .attempts).flatMap({ Int($0) }) else { return }
            if viewed.traceback(taskID: id, attempt: number) != nil {
                push(.traceback(taskID: id, attempt: number, offset: 0))
            } else {
                setStatus("No traceback kept for attempt \(number) (it did not raise, or it was evicted).", .info)
            }
        default:
            break
        }
    }

    mutating func changeSort(_ command: Command) {
        guard let pane = activeList, pane != .attempts else { return }
        var order = sort(pane)
        if command == .sortNext {
            order.column = (order.column + 1) % pane.sortColumns.count
            // The default column keeps its natural direction; the others start ascending.
            order.descending = order.column == pane.defaultSort.column ? pane.defaultSort.descending : false
        } else {
            order.descending.toggle()
        }
        sorts[pane] = order
        let direction = order.descending ? "descending" : "ascending"
        setStatus("\(pane.title) sorted by \(pane.sortColumns[order.column].title), \(direction).", .info)
    }

    mutating func toggleMark() {
        guard let pane = activeList, pane.listsTasks, let id = selectedID(in: pane) else {
            setStatus("Marks apply to task lists (Retrying, Active, Failed, exception tasks).", .info)
            return
        }
        if marks.contains(id) {
            marks.remove(id)
        } else if marks.count < AppState.maxMarks {
            marks.insert(id)
        } else {
            setStatus("At most \(NumberText.grouped(AppState.maxMarks)) marks; clear some with u.", .warning)
            return
        }
        moveSelection(.moveDown)
    }

    mutating func markAllMatching() {
        guard let pane = activeList, pane.listsTasks else {
            setStatus("Marks apply to task lists (Retrying, Active, Failed, exception tasks).", .info)
            return
        }
        let candidates = rankedList(pane).orderedIDs().filter { !marks.contains($0) }
        let added = candidates.prefix(max(0, AppState.maxMarks - marks.count))
        marks.formUnion(added)
        let capped = added.count < candidates.count ? " (mark limit reached)" : ""
        setStatus("Marked \(added.count) tasks in \(pane.title)\(filter.isEmpty ? "" : " matching \"\(filterText)\"")\(capped); \(marks.count) marked.", .info)
    }
}
