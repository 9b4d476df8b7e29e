import Monitor

extension AppState {
    /// The rows of `pane` from the viewed model, filtered and keyed by the pane's sort column.
    ///
    /// Task panes start from the model's indexes (`retryingIDs`, `activeIDs`, `recentFailures`, a
    /// group's `recentTaskIDs`), never from all tasks.
    public func rankedList(_ pane: PaneID) -> RankedList {
        let model = viewed
        let order = sort(pane)
        let column = order.column
        let key = pane.sortColumns[min(column, pane.sortColumns.count - 1)]
        var rows: [RankedList.Row] = []
        func addTasks<S: Sequence>(_ ids: S, _ value: (TaskRecord) -> SortValue) where S.Element == TaskKey {
            for id in ids {
                guard let task = model.tasks[id], filter.isEmpty || filter.matches(task) else { continue }
                rows.append(RankedList.Row(value: value(task), key: id))
            }
        }
        switch pane {
        case .retrying where filter.isEmpty && column == 0:
            // The common case, every frame of a storm: straight from the index, no task lookups.
            let index = viewedRetryingIndex.times
            rows.reserveCapacity(index.count)
            for (id, next) in index { rows.append(RankedList.Row(value: .number(next), key: id)) }
        case .active where filter.isEmpty && column == 0:
            let index = viewedActiveIndex.times
            rows.reserveCapacity(index.count)
            for (id, started) in index { rows.append(RankedList.Row(value: .number(now - started), key: id)) }
        case .failed where filter.isEmpty && column == 0:
            // Failure order is arrival order: the newest failure is the last one folded.
            for (position, id) in model.recentFailures.enumerated() {
                rows.append(RankedList.Row(value: .number(Double(position)), key: id))
            }
        case .retrying:
            rows.reserveCapacity(model.retryingIDs.count)
            addTasks(model.retryingIDs) { task in
                switch key {
                case RetryingPane.task: .text(task.name ?? "")
                case RetryingPane.attempt: .number(Double(task.attempts.last?.number ?? 0))
                case RetryingPane.lastError: .text(task.lastException ?? "")
                case RetryingPane.worker: .text(task.worker ?? "")
                default: .number(task.nextAttemptAt ?? .infinity)
                }
            }
        case .active:
            addTasks(model.activeIDs) { task in
                switch key {
                case ActivePane.task: .text(task.name ?? "")
                case ActivePane.worker: .text(task.worker ?? "")
                case ActivePane.attempt: .number(Double(task.attempts.last?.number ?? 0))
                default: .number(now - (task.attempts.last?.started ?? now))
                }
            }
        case .failed:
            addTasks(model.recentFailures) { task in
                switch key {
                case FailedPane.task: .text(task.name ?? "")
                case FailedPane.attempts: .number(Double(task.attempts.last?.number ?? 0))
                case FailedPane.error: .text(task.lastException ?? "")
                default: .number(task.attempts.last?.ended ?? task.lastUpdate)
                }
            }
        case .groupTasks:
            guard case .groupTasks(let fingerprint) = stackScreen(of: .groupTasks),
                  let group = model.exceptionGroups[fingerprint] else { break }
            addTasks(group.recentTaskKeys) { task in
                switch key {
                case GroupTasksPane.task: .text(task.name ?? "")
                case GroupTasksPane.state: .number(Double(task.state.order))
                case GroupTasksPane.attempts: .number(Double(task.attempts.last?.number ?? 0))
                default: .number(task.lastUpdate)
                }
            }
        case .rates:
            let storms = stormsOnly ? Set(stormAlerts.map(\.name)) : nil
            let day = ratesFromJournal ? (journalRates ?? JournalRates()) : nil
            for (name, series) in ratesPaneSeries(model) {
                if let storms, !storms.contains(name) { continue }
                let counts = RatesPane.counts(name, series: series, day: day, now: now)
                let value: SortValue
                switch key {
                case RatesPane.task: value = .text(name)
                case RatesPane.received: value = .number(Double(counts.received))
                case RatesPane.succeeded: value = .number(Double(counts.succeeded))
                case RatesPane.failed: value = .number(Double(counts.failed))
                case RatesPane.failureRatio: value = .number(counts.failureRatio ?? -1)
                case RatesPane.attemptErrorRatio: value = .number(counts.attemptErrorRatio ?? -1)
                case _ where day != nil:
                    // The 24 h view: the day's retries first, then the busiest.
                    value = .number(Double(counts.retried) + Double(counts.received) / 1e9)
                default:
                    // Busy names first even when nothing retried in the last minute.
                    let retried = series.total(.retried, window: 60, endingAt: now)
                    let recent = series.total(.retried, window: 900, endingAt: now) + series.total(.received, window: 900, endingAt: now)
                    value = .number(Double(retried) + Double(recent) / 1e6)
                }
                rows.append(RankedList.Row(value: value, id: name))
            }
        case .workers:
            for (host, worker) in model.workers {
                let value: SortValue
                switch key {
                case WorkersPane.active: value = .number(Double(worker.active))
                case WorkersPane.processed: value = .number(Double(worker.processed))
                case WorkersPane.heartbeat: value = .number(now - (worker.lastHeartbeat ?? 0))
                default: value = .text(host)
                }
                rows.append(RankedList.Row(value: value, id: host))
            }
        case .exceptions:
            for (fingerprint, group) in model.exceptionGroups {
                let value: SortValue
                switch key {
                case ExceptionsPane.perMinute:
                    let perMinute = group.rates.total(.retried, window: 60, endingAt: now) + group.rates.total(.failed, window: 60, endingAt: now)
                    value = .number(Double(perMinute))
                case ExceptionsPane.last: value = .number(group.lastSeen)
                case ExceptionsPane.first: value = .number(group.firstSeen)
                case ExceptionsPane.exception: value = .text(group.sample)
                default: value = .number(Double(group.total))
                }
                rows.append(RankedList.Row(value: value, id: fingerprint.text))
            }
        case .attempts:
            if case .taskDetail(let id) = stackScreen(of: .attempts), let task = model.tasks[id] {
                rows = task.attempts.map { RankedList.Row(value: .number(Double($0.number)), id: String($0.number)) }
            }
        }
        return RankedList(rows: rows, descending: order.descending)
    }

    /// The Rates pane's names with their live series: every live name, and in the 24 h view (`H`) also
    /// the names only the journal has seen (with an empty live series).
    func ratesPaneSeries(_ model: MonitorState) -> [String: RateSeries] {
        guard ratesFromJournal, let journalRates else { return model.ratesByName }
        var series = model.ratesByName
        for name in journalRates.names where series[name] == nil { series[name] = RatesPane.noLiveRates }
        return series
    }

    /// Rows of a task pane before the filter, for "filtered N of M".
    public func unfilteredCount(_ pane: PaneID) -> Int {
        let model = viewed
        switch pane {
        case .retrying: return model.retryingIDs.count
        case .active: return model.activeIDs.count
        case .failed: return model.recentFailures.count
        case .groupTasks:
            guard case .groupTasks(let fingerprint) = stackScreen(of: .groupTasks) else { return 0 }
            return model.exceptionGroups[fingerprint]?.recentTaskIDs.count ?? 0
        case .rates: return ratesPaneSeries(model).count
        case .workers: return model.workers.count
        case .exceptions: return model.exceptionGroups.count
        case .attempts: return 0
        }
    }

    /// The nearest screen on the stack that owns `pane` (the group or the task being shown).
    func stackScreen(of pane: PaneID) -> Screen? {
        stack.last { screen in
            switch (screen, pane) {
            case (.groupTasks, .groupTasks), (.taskDetail, .attempts): true
            default: false
            }
        }
    }
}
