import Monitor
import TerminalUI

extension AppState {
    /// The view model of one overview pane drawn in `rect` (or collapsed when `rect` is one line).
    public func paneModel(_ pane: PaneID, in rect: Rect) -> PaneModel {
        let isFocused = screen == .overview ? pane == focusedPane : true
        let bodyRows = max(0, rect.height - 3)
        let contentWidth = max(0, rect.width - 3)
        let list = rankedList(pane)
        let window = list.window(cursor: cursor(pane), bodyRows: bodyRows)
        let first = rect.height <= 1 && list.count > 0 ? list.ranks(0..<1).first : window.ids.first
        var model = PaneModel(
            pane: pane, title: "\(pane.title) \(TimeText.count(window.total))", columns: [], rows: [],
            selectedRow: window.selected.map { $0 - window.start }, below: window.below, isFocused: isFocused,
            emptyText: ""
        )
        if pane.listsTasks, !filter.isEmpty {
            model.rightTitle = "filtered \(TimeText.count(window.total)) of \(TimeText.count(unfilteredCount(pane)))"
        }
        switch pane {
        case .retrying: fillRetrying(&model, window, first: first, width: contentWidth)
        case .active: fillActive(&model, window, first: first, width: contentWidth)
        case .rates: fillRates(&model, window, first: first, width: contentWidth)
        case .workers: fillWorkers(&model, window, width: contentWidth)
        case .failed: fillFailed(&model, window, first: first, width: contentWidth)
        case .exceptions: fillExceptions(&model, window, width: contentWidth)
        case .groupTasks: fillGroupTasks(&model, window, width: contentWidth)
        case .attempts: fillAttempts(&model, window, width: contentWidth)
        }
        if let selected = model.selectedRow, selected < 0 || selected >= model.rows.count || !isFocused { model.selectedRow = nil }
        model.columns = sortMarked(model.columns, pane: pane)
        return model
    }

    /// Adds ↑/↓ to the title of the column the pane is sorted by.
    func sortMarked(_ columns: [TableColumn], pane: PaneID) -> [TableColumn] {
        let order = sort(pane)
        guard pane != .attempts, order != pane.defaultSort else { return columns }
        let sortedTitle = pane.sortColumns[min(order.column, pane.sortColumns.count - 1)]
        let arrow = order.descending ? glyphs.arrowDown : glyphs.arrowUp
        return columns.map { column in
            var column = column
            if column.title == sortedTitle { column.title += String(arrow) }
            return column
        }
    }

    /// The attempt number shown in TRY columns: `3`, or `3/5` once the policy is known.
    func attemptText(_ task: TaskRecord) -> String {
        let number = task.attempts.last?.number ?? max(1, task.retries + 1)
        if let name = task.name, let max = policies[name]?.maxAttempts { return "\(number)/\(max)" }
        return String(number)
    }

    /// True when the task is on its last allowed attempt (needs a known policy).
    func isLastAttempt(_ task: TaskRecord) -> Bool {
        guard let name = task.name, let policy = policies[name] else { return false }
        return policy.isLastAttempt(retries: (task.attempts.last?.number ?? 1) - 1)
    }

    private func fillRetrying(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let wide = width >= 95
        let nameWidth = taskNameWidth(window.ids, fullWidth: wide)
        var columns = [
            TableColumn("NEXT IN", width: .fixed(7), alignment: .right),
            TableColumn("", width: .fixed(5)),
            TableColumn("TASK", width: .fixed(nameWidth)),
            TableColumn("TRY", width: .fixed(4), alignment: .right),
            TableColumn("LAST ERROR", width: .fill(4)),
        ]
        if wide {
            columns.append(TableColumn("WORKER", width: .fixed(14)))
            columns.append(TableColumn("ID", width: .fixed(8)))
        }
        model.columns = columns
        let model2 = viewed
        model.rows = window.ids.compactMap { id in
            guard let task = model2.tasks[id] else { return nil }
            var cells: [TableCell] = []
            var rowStyle = Style.plain
            if let next = task.nextAttemptAt {
                let remaining = next - now
                if remaining <= 0 {
                    cells.append(TableCell("due", style: Style(fg: .yellow, bold: true)))
                } else {
                    cells.append(TableCell(TimeText.countdown(to: next, now: now), style: Style(bold: true)))
                }
                let start = task.backoffStartedAt ?? next
                let total = next - start
                let fraction = total > 0 ? (now - start) / total : 1
                cells.append(TableCell(ProgressBar(fraction: fraction).render(width: 5, glyphs: glyphs), style: Style(fg: .cyan)))
            } else {
                cells.append("?")
                cells.append("")
            }
            cells.append(TableCell(displayName(task.name, width: nameWidth)))
            let last = isLastAttempt(task)
            cells.append(TableCell(attemptText(task), style: last ? Style(fg: .red, bold: true) : nil))
            if task.revokeSentAt != nil {
                cells.append(TableCell("revoke sent, waiting for task-revoked", style: Style(fg: .magenta)))
                rowStyle = Style(dim: true)
            } else {
                cells.append(TableCell(ExceptionText.brief(task.lastException), style: Style(fg: .yellow)))
            }
            if wide {
                cells.append(TableCell(task.worker ?? glyphs.dash.description))
                cells.append(TableCell(String(task.id.prefix(8)), style: Style(dim: true)))
            }
            return TableRow(cells, style: rowStyle, isMarked: marks.contains(id))
        }
        model.emptyText = filter.isEmpty ? "No task is waiting in backoff." : "No retrying task matches the filter."
        if let first = firstID.flatMap({ model2.tasks[$0] }), let next = first.nextAttemptAt {
            model.summary = [
                Span("next \(TimeText.countdown(to: next, now: now)) ", style: Style(bold: true)),
                Span("\(first.name ?? "?") try \(attemptText(first)) ", style: .plain),
                Span(ExceptionText.brief(first.lastException), style: Style(fg: .yellow)),
            ]
        } else {
            model.summary = [Span("none waiting", style: Style(dim: true))]
        }
    }

    private func fillActive(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let nameWidth = taskNameWidth(window.ids, fullWidth: width >= 95)
        var columns = [
            TableColumn("RUNNING", width: .fixed(7), alignment: .right),
            TableColumn("TASK", width: .fixed(nameWidth)),
        ]
        let showWorker = width >= 60
        if showWorker { columns.append(TableColumn("WORKER", width: .fixed(12))) }
        columns.append(TableColumn("TRY", width: .fixed(4), alignment: .right))
        columns.append(TableColumn("ARGS", width: .fill(3)))
        model.columns = columns
        let monitor = viewed
        model.rows = window.ids.compactMap { id in
            guard let task = monitor.tasks[id] else { return nil }
            let started = task.attempts.last?.started ?? now
            var cells: [TableCell] = [
                TableCell(TimeText.elapsed(since: started, now: now), style: Style(bold: true)),
                TableCell(displayName(task.name, width: nameWidth)),
            ]
            if showWorker { cells.append(TableCell(task.worker ?? glyphs.dash.description)) }
            cells.append(TableCell(attemptText(task)))
            var args = task.args ?? ""
            if let kwargs = task.kwargs, kwargs != "{}" { args += " " + kwargs }
            cells.append(TableCell(args, style: Style(dim: true)))
            return TableRow(cells, isMarked: marks.contains(id))
        }
        model.emptyText = filter.isEmpty ? "No task is running." : "No running task matches the filter."
        if let first = firstID.flatMap({ monitor.tasks[$0] }) {
            let started = first.attempts.last?.started ?? now
            model.summary = [
                Span("longest \(TimeText.elapsed(since: started, now: now)) ", style: Style(bold: true)),
                Span("\(first.name ?? "?") on \(first.worker ?? "?")"),
            ]
        } else {
            model.summary = [Span("none running", style: Style(dim: true))]
        }
    }

    /// Columns for a TASK column: the longest name shown (at most 24), shortened by the shared
    /// module prefix (`tasks.`) unless `fullWidth` leaves room for full names.
    func taskNameWidth(_ ids: [String], fullWidth: Bool) -> Int {
        let names = ids.compactMap { viewed.tasks[$0]?.name }
        let longest = names.map(\.count).max() ?? 8
        if fullWidth { return min(28, max(8, longest)) }
        let prefix = namePrefix
        return min(24, max(8, names.map { $0.hasPrefix(prefix) ? $0.count - prefix.count : $0.count }.max() ?? 8))
    }

    /// The dotted module prefix every tracked task name shares (`tasks.`), or "".
    public var namePrefix: String { AppState.commonPrefix(Array(viewed.ratesByName.keys)) }

    /// `name` as it fits `width`: whole when it fits, else without the shared module prefix.
    func displayName(_ name: String?, width: Int) -> String {
        guard let name else { return "(unknown)" }
        let prefix = namePrefix
        if name.count > width, !prefix.isEmpty, name.hasPrefix(prefix) { return String(name.dropFirst(prefix.count)) }
        return name
    }

    /// The dotted prefix every name shares (`tasks.`), dropped in the rates pane and named in its title.
    static func commonPrefix(_ names: [String]) -> String {
        guard let first = names.first, names.count > 1, let dot = first.lastIndex(of: ".") else { return "" }
        let prefix = String(first[...dot])
        return names.allSatisfy { $0.hasPrefix(prefix) && $0.count > prefix.count } ? prefix : ""
    }

    private func fillRates(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let monitor = viewed
        let prefix = namePrefix
        model.title = "Rates per minute"
        model.rightTitle = "\(window.total) names" + (prefix.isEmpty ? "" : ", \(prefix)\(glyphs.ellipsis)")
        let nameWidth = min(24, max(8, window.ids.map { $0.count - prefix.count }.max() ?? 8))
        let showError = width >= 90
        let showOK = width >= 56
        var columns = [
            TableColumn("TASK", width: .fixed(nameWidth)),
            TableColumn("RECV", width: .fixed(5), alignment: .right),
            TableColumn("OK", width: .fixed(5), alignment: .right),
            TableColumn("RETRY", width: .fixed(5), alignment: .right),
            TableColumn("FAIL", width: .fixed(4), alignment: .right),
            TableColumn("FAIL%", width: .fixed(6), alignment: .right),
            TableColumn("LAST 15m", width: showError ? .fixed(15) : .fill(1)),
        ]
        if showError { columns.append(TableColumn("TOP ERROR", width: .fill(1))) }
        if !showOK { columns.remove(at: 2) }
        model.columns = columns
        let lengths = Layout.lengths(columns.map(\.width), total: width, spacing: 1)
        let sparkWidth = min(15, lengths[showOK ? 6 : 5])
        let topErrors = topExceptionByName()
        let storms = Set(stormAlerts.map(\.name))
        let histories = Dictionary(uniqueKeysWithValues: window.ids.map { name in
            (name, monitor.ratesByName[name]?.history(.retried, buckets: sparkWidth, bucketSeconds: 60, endingAt: now).map(Double.init) ?? [])
        })
        // One scale for all rows, so a quiet task reads flat next to a storming one.
        let scale = max(1, histories.values.flatMap { $0 }.max() ?? 1)
        model.rows = window.ids.compactMap { name in
            guard let series = monitor.ratesByName[name] else { return nil }
            let retried = series.total(.retried, window: 60, endingAt: now)
            let failed = series.total(.failed, window: 60, endingAt: now)
            let ratio = series.failureRatio(window: 60, endingAt: now)
            let history = histories[name] ?? []
            let storming = storms.contains(name)
            var cells: [TableCell] = [
                TableCell(String(name.dropFirst(prefix.count)), style: storming ? Style(fg: .red, bold: true) : nil),
                TableCell(TimeText.count(series.total(.received, window: 60, endingAt: now))),
                TableCell(TimeText.count(series.total(.succeeded, window: 60, endingAt: now)), style: Style(fg: .green)),
                TableCell(TimeText.count(retried), style: retried > 0 ? Style(fg: .yellow) : nil),
                TableCell(TimeText.count(failed), style: failed > 0 ? Style(fg: .red) : nil),
                TableCell(ratio.map(TimeText.percent) ?? glyphs.dash.description),
                TableCell(Sparkline(values: history, maximum: scale).render(width: sparkWidth, glyphs: glyphs), style: Style(fg: storming ? .red : .yellow)),
            ]
            if showError { cells.append(TableCell(ExceptionText.brief(topErrors[name]), style: Style(dim: true))) }
            if !showOK { cells.remove(at: 2) }
            return TableRow(cells)
        }
        model.emptyText = "No task events yet."
        let retries = monitor.overallRates.total(.retried, window: 60, endingAt: now)
        let ratio = monitor.overallRates.failureRatio(window: 60, endingAt: now)
        var summary = [Span("\(TimeText.count(retries)) retries/min ", style: Style(fg: .yellow, bold: true))]
        if let top = firstID { summary.append(Span("top \(top) ")) }
        summary.append(Span("fail \(ratio.map(TimeText.percent) ?? glyphs.dash.description)"))
        model.summary = summary
    }

    /// The most frequent exception per task name, from the exception groups.
    func topExceptionByName() -> [String: String] {
        var best: [String: (count: Int, sample: String)] = [:]
        for group in viewed.exceptionGroups.values {
            for (name, count) in group.names where count > best[name]?.count ?? 0 || (count == best[name]?.count && group.sample < best[name]?.sample ?? "") {
                best[name] = (count, group.sample)
            }
        }
        return best.mapValues(\.sample)
    }

    /// Storm alerts for the viewed model at `now`.
    public var stormAlerts: [StormAlert] {
        StormDetector().alerts(viewed.ratesByName, now: now, watchingSince: link.backfill.watchingSince)
    }

    private func fillWorkers(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        let monitor = viewed
        let showCounts = width >= 62
        var columns = [
            TableColumn("WORKER", width: .fill(1)),
            TableColumn("ACTIVE", width: .fixed(6), alignment: .right),
            TableColumn("DONE", width: .fixed(7), alignment: .right),
            TableColumn("HEARTBEAT", width: .fixed(13)),
        ]
        if showCounts {
            columns.append(TableColumn("OK", width: .fixed(5), alignment: .right))
            columns.append(TableColumn("RETRY", width: .fixed(5), alignment: .right))
            columns.append(TableColumn("FAIL", width: .fixed(4), alignment: .right))
        }
        model.columns = columns
        let online = monitor.onlineWorkers(at: now)
        model.title = "Workers \(online)/\(monitor.workers.count) online"
        model.rows = window.ids.compactMap { host in
            guard let worker = monitor.workers[host] else { return nil }
            let isOnline = worker.isOnline(at: now)
            let dot = isOnline ? glyphs.bullet : glyphs.hollowBullet
            var heartbeat: String
            if isOnline {
                heartbeat = "\(TimeText.age(now - (worker.lastHeartbeat ?? now))) ago"
            } else {
                let since = worker.offlineAt ?? worker.lastHeartbeat.map { $0 + worker.freq * 2 }
                heartbeat = since.map { "off \(TimeText.clock($0))" } ?? "offline"
            }
            var cells: [TableCell] = [
                TableCell("\(dot) \(host)", style: isOnline ? nil : Style(dim: true)),
                TableCell(TimeText.count(isOnline ? worker.active : 0)),
                TableCell(TimeText.count(worker.processed)),
                TableCell(heartbeat, style: isOnline ? nil : Style(fg: .red)),
            ]
            if showCounts {
                cells.append(TableCell(TimeText.count(worker.succeeded), style: Style(fg: .green)))
                cells.append(TableCell(TimeText.count(worker.retried), style: worker.retried > 0 ? Style(fg: .yellow) : nil))
                cells.append(TableCell(TimeText.count(worker.failed), style: worker.failed > 0 ? Style(fg: .red) : nil))
            }
            return TableRow(cells, style: isOnline ? .plain : Style(dim: true))
        }
        model.emptyText = "No worker seen yet (workers need -E or worker_send_task_events)."
        let offline = monitor.workers.values.filter { !$0.isOnline(at: now) }.map(\.hostname).sorted()
        model.summary = offline.first.map { [Span("\($0) offline", style: Style(fg: .red))] } ?? [Span("all online", style: Style(fg: .green))]
    }

    private func fillFailed(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let monitor = viewed
        let nameWidth = taskNameWidth(window.ids, fullWidth: width >= 80)
        model.columns = [
            TableColumn("FAILED AT", width: .fixed(9)),
            TableColumn("TASK", width: .fixed(nameWidth)),
            TableColumn("TRIES", width: .fixed(5), alignment: .right),
            TableColumn("ERROR", width: .fill(3)),
        ]
        model.rows = window.ids.compactMap { id in
            guard let task = monitor.tasks[id] else { return nil }
            let at = task.attempts.last?.ended ?? task.lastUpdate
            var error = ExceptionText.brief(task.lastException)
            if let copy = task.requeuedAs { error = "requeued as \(copy.prefix(8))\(glyphs.ellipsis) " + error }
            return TableRow([
                TableCell(TimeText.clock(at)),
                // A failure read from a result backend without result_extended has no name: say why.
                task.name == nil && task.sources == TaskSources([.resultBackend])
                    ? TableCell("(no name: needs result_extended)", style: Style(dim: true))
                    : TableCell(displayName(task.name, width: nameWidth)),
                TableCell(attemptText(task), style: Style(fg: .red)),
                TableCell(error, style: Style(fg: .red)),
            ], isMarked: marks.contains(id))
        }
        model.emptyText = filter.isEmpty ? "Nothing failed for good." : "No failed task matches the filter."
        if let first = firstID.flatMap({ monitor.tasks[$0] }) {
            model.summary = [
                Span("newest \(TimeText.clock(first.attempts.last?.ended ?? first.lastUpdate)) ", style: Style(bold: true)),
                Span("\(first.name ?? "?") "),
                Span(ExceptionText.brief(first.lastException), style: Style(fg: .red)),
            ]
        } else {
            model.summary = [Span("none", style: Style(dim: true))]
        }
    }
}
