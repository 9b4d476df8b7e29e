import Monitor
import TerminalUI

extension AppState {
    func fillExceptions(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        let monitor = viewed
        model.title = "Exceptions \(TimeText.count(window.total))"
        model.rightTitle = "grouped by type and message, ids and numbers masked; Enter lists the tasks"
        let wide = width >= 110
        var columns = [
            TableColumn("COUNT", width: .fixed(6), alignment: .right),
            TableColumn("RETRY", width: .fixed(6), alignment: .right),
            TableColumn("FAIL", width: .fixed(5), alignment: .right),
            TableColumn("/MIN", width: .fixed(5), alignment: .right),
            TableColumn("LAST", width: .fixed(8)),
            TableColumn("EXCEPTION", width: .fill(3)),
            TableColumn("TASKS", width: wide ? .fill(2) : .fill(1)),
        ]
        if !wide { columns.remove(at: 2) }
        model.columns = columns
        model.rows = window.ids.compactMap { fingerprint in
            guard let group = monitor.exceptionGroups[fingerprint] else { return nil }
            let perMinute = group.rates.total(.retried, window: 60, endingAt: now) + group.rates.total(.failed, window: 60, endingAt: now)
            let names = group.names.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            var tasks = names.prefix(2).map { "\($0.key) \(glyphs.times)\($0.value)" }.joined(separator: ", ")
            if names.count > 2 { tasks += ", +\(names.count - 2)" }
            var cells: [TableCell] = [
                TableCell(TimeText.count(group.total), style: Style(bold: true)),
                TableCell(TimeText.count(group.retries), style: group.retries > 0 ? Style(fg: .yellow) : nil),
                TableCell(TimeText.count(group.failures), style: group.failures > 0 ? Style(fg: .red) : nil),
                TableCell(TimeText.count(perMinute)),
                TableCell(TimeText.clock(group.lastSeen)),
                TableCell(ExceptionText.short(group.sample), style: Style(fg: group.failures > 0 ? .red : .yellow)),
                TableCell(tasks),
            ]
            if !wide { cells.remove(at: 2) }
            return TableRow(cells)
        }
        model.emptyText = "No exception seen yet."
    }

    func fillGroupTasks(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        let monitor = viewed
        if case .groupTasks(let fingerprint) = stackScreen(of: .groupTasks) {
            let sample = monitor.exceptionGroups[fingerprint].map { ExceptionText.brief($0.sample) } ?? fingerprint
            model.title = "Tasks that raised \(sample)"
            model.rightTitle = filter.isEmpty ? "\(TimeText.count(window.total)) recent" : "filtered \(window.total) of \(unfilteredCount(.groupTasks))"
        }
        let wide = width >= 110
        let nameWidth = taskNameWidth(window.ids, fullWidth: wide)
        var columns = [
            TableColumn("UPDATED", width: .fixed(8)),
            TableColumn("ID", width: .fixed(width >= 150 ? 36 : 8)),
            TableColumn("TASK", width: .fixed(nameWidth)),
            TableColumn("STATE", width: .fixed(8)),
            TableColumn("TRIES", width: .fixed(5), alignment: .right),
        ]
        if wide { columns.append(TableColumn("WORKER", width: .fixed(14))) }
        columns.append(TableColumn("LAST ERROR", width: .fill(3)))
        model.columns = columns
        model.rows = window.ids.compactMap { id in
            guard let task = monitor.tasks[id] else { return nil }
            var cells: [TableCell] = [
                TableCell(TimeText.clock(task.lastUpdate)),
                TableCell(width >= 150 ? id : String(id.prefix(8)), style: Style(dim: true)),
                TableCell(displayName(task.name, width: nameWidth)),
                TableCell(task.state.rawValue, style: AppState.style(of: task.state)),
                TableCell(attemptText(task)),
            ]
            if wide { cells.append(TableCell(task.worker ?? glyphs.dash.description)) }
            cells.append(TableCell(ExceptionText.brief(task.lastException), style: Style(fg: .yellow)))
            return TableRow(cells, isMarked: marks.contains(id))
        }
        model.emptyText = filter.isEmpty ? "No task of this group is still tracked." : "No task of this group matches the filter."
    }

    func fillAttempts(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        guard case .taskDetail(let id) = stackScreen(of: .attempts), let task = viewed.tasks[id] else { return }
        let dropped = task.droppedAttempts > 0 ? " (\(task.droppedAttempts) middle attempts not kept)" : ""
        model.title = "Attempts \(task.attempts.count)\(dropped)"
        let before = task.attemptsBeforeWatching
        if before > 0 {
            // Never invented: nothing about them was seen, only the retries count of a later message.
            model.title += before == 1 ? " (attempt 1 before retrytop started)" : " (attempts 1\(glyphs.dash == "-" ? "-" : "–")\(before) before retrytop started)"
        }
        let journaled = task.attempts.reduce(0) { $0 + ($1.fromJournal ? 1 : 0) }
        if journaled > 0 {
            // Recorded before this process started (a recorder, or an earlier run): numbers shown dim.
            model.title += journaled == task.attempts.count ? " (all from the journal)" : " (\(journaled) from the journal, dim #)"
        }
        model.rightTitle = "t traceback of the selected attempt"
        let wide = width >= 100
        var columns = [
            TableColumn("#", width: .fixed(2), alignment: .right),
            TableColumn("WORKER", width: .fixed(14)),
            TableColumn("RECEIVED", width: .fixed(12)),
            TableColumn("STARTED", width: .fixed(12)),
            TableColumn("RAN", width: .fixed(6), alignment: .right),
            TableColumn("OUTCOME", width: .fixed(8)),
            TableColumn("EXCEPTION", width: .fill(1)),
            TableColumn("BACKOFF", width: .fixed(7), alignment: .right),
        ]
        if !wide { columns.remove(at: 2) }
        model.columns = columns
        let dash = glyphs.dash.description
        let shown = window.ids.compactMap { number in task.attempts.first { String($0.number) == number } }
        model.rows = shown.map { attempt in
            var started: TableCell
            var ran: TableCell
            var outcome: TableCell
            if let value = attempt.started {
                started = TableCell(TimeText.clockMillis(value))
                if attempt.outcome == nil {
                    ran = TableCell(TimeText.elapsed(since: value, now: now), style: Style(bold: true))
                } else {
                    ran = TableCell(attempt.runtime.map(TimeText.span) ?? dash)
                }
            } else if attempt.outcome == nil, let next = attempt.eta ?? task.nextAttemptAt {
                started = TableCell(next > now ? "next in \(TimeText.countdown(to: next, now: now))" : "due", style: Style(fg: .cyan, bold: true))
                let start = task.backoffStartedAt ?? next
                let fraction = next > start ? (now - start) / (next - start) : 1
                ran = TableCell(ProgressBar(fraction: fraction).render(width: 6, glyphs: glyphs), style: Style(fg: .cyan))
            } else {
                started = TableCell(dash)
                ran = TableCell(dash)
            }
            if let value = attempt.outcome {
                outcome = TableCell(value.rawValue, style: AppState.style(of: value))
            } else if attempt.started != nil {
                outcome = TableCell("RUNNING", style: Style(fg: .cyan, bold: true))
            } else {
                outcome = TableCell("WAITING", style: Style(fg: .cyan))
            }
            var cells: [TableCell] = [
                TableCell(String(attempt.number), style: attempt.fromJournal ? Style(dim: true) : .plain),
                TableCell(attempt.worker ?? dash),
                attempt.received.map { TableCell(TimeText.clockMillis($0)) }
                    ?? (attempt.beginningUnseen ? TableCell("not seen", style: Style(dim: true)) : TableCell(dash)),
                started, ran, outcome,
                attempt.outcome == .revoked && attempt.started == nil && !attempt.beginningUnseen
                    // A revoked id's message discarded on arrival (docs/celery-wire.md, rule 6).
                    ? TableCell("discarded by the revoke, never ran", style: AppState.style(of: .revoked))
                    : TableCell(ExceptionText.short(attempt.exception), style: Style(fg: attempt.outcome == .failure ? .red : .yellow)),
                TableCell(attempt.backoffWait.map(TimeText.span) ?? ""),
            ]
            if !wide { cells.remove(at: 2) }
            return TableRow(cells)
        }
        model.emptyText = "No attempt seen yet (only task-sent so far)."
    }

    /// The colour of a task state everywhere it is shown.
    static func style(of state: TaskState) -> Style {
        switch state {
        case .success: Style(fg: .green)
        case .failure, .rejected: Style(fg: .red, bold: true)
        case .retry: Style(fg: .yellow)
        case .started: Style(fg: .cyan)
        case .revoked: Style(fg: .magenta)
        case .received, .pending: .plain
        }
    }
}
