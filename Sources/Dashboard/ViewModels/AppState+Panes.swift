import Monitor
import TerminalUI

extension AppState {
    /// The view model of one pane drawn in `rect` (or collapsed when `rect` is one line).
    ///
    /// Reads the list window here (cursor, sort, filter) and hands the pane's own type its named
    /// inputs; the sort arrow goes on the column spec the pane is sorted by.
    public func paneModel(_ pane: PaneID, in rect: Rect) -> PaneModel {
        let isFocused = screen == .overview ? pane == focusedPane : true
        let bodyRows = max(0, rect.height - 3)
        let contentWidth = max(0, rect.width - 3)
        let list = rankedList(pane)
        let window = list.window(cursor: cursor(pane), bodyRows: bodyRows)
        let first = rect.height <= 1 && list.count > 0 ? list.ranks(0..<1).first : window.ids.first
        var model = PaneModel(
            pane: pane, title: "\(pane.title) \(NumberText.grouped(window.total))", columns: [], rows: [],
            selectedRow: window.selected.map { $0 - window.start }, below: window.below, isFocused: isFocused,
            emptyText: ""
        )
        let inputs = paneInputs(for: pane)
        if pane.listsTasks, inputs.isFiltered {
            model.rightTitle = "filtered \(NumberText.grouped(window.total)) of \(NumberText.grouped(inputs.unfilteredCount))"
        }
        switch pane {
        case .rates where stormsOnly:
            RatesPane(inputs).fill(&model, window, first: first, width: contentWidth)
            model.title = "Storms \(NumberText.grouped(window.total))"
            model.rightTitle = "! every name"
            model.emptyText = "No name is storming now (retries against its own baseline); ! shows every name."
        case .retrying: RetryingPane(inputs).fill(&model, window, first: first, width: contentWidth)
        case .active: ActivePane(inputs).fill(&model, window, first: first, width: contentWidth)
        case .rates: RatesPane(inputs).fill(&model, window, first: first, width: contentWidth)
        case .workers: WorkersPane(inputs).fill(&model, window, width: contentWidth)
        case .failed: FailedPane(inputs).fill(&model, window, first: first, width: contentWidth)
        case .exceptions: ExceptionsPane(inputs).fill(&model, window, width: contentWidth)
        case .groupTasks: GroupTasksPane(inputs).fill(&model, window, width: contentWidth)
        case .attempts: AttemptsPane(inputs).fill(&model, window, width: contentWidth)
        }
        if let selected = model.selectedRow, selected < 0 || selected >= model.rows.count || !isFocused { model.selectedRow = nil }
        model.columns = sortMarked(model.columns, pane: pane)
        return model
    }

    /// The named inputs of `pane`'s view model, taken from the state.
    public func paneInputs(for pane: PaneID) -> PaneInputs {
        PaneInputs(
            monitor: viewed, now: now, glyphs: glyphs, theme: theme, marks: marks, isFiltered: pane.listsTasks && !filter.isEmpty,
            unfilteredCount: unfilteredCount(pane), policies: policies,
            stormNames: pane == .rates ? Set(stormAlerts.map(\.name)) : [],
            owner: stackScreen(of: pane), journalRates: pane == .rates && ratesFromJournal ? (journalRates ?? JournalRates()) : nil,
            heldAttempts: pane == .workers ? viewedRetryingIndex.held : [:])
    }

    /// Adds ↑/↓ to the title of the column the pane is sorted by, widening a fixed column so the
    /// arrow never cuts the title (a fill column gives the room back).
    func sortMarked(_ columns: [TableColumn], pane: PaneID) -> [TableColumn] {
        let order = sort(pane)
        guard pane != .attempts, order != pane.defaultSort else { return columns }
        let sorted = pane.sortColumns[min(order.column, pane.sortColumns.count - 1)]
        let arrow = order.descending ? glyphs.arrowDown : glyphs.arrowUp
        return columns.map { column in
            guard column.title == sorted.title else { return column }
            var column = column
            column.title += String(arrow)
            if case .fixed(let width) = column.width, width < column.title.displayWidth {
                column.width = .fixed(column.title.displayWidth)
            }
            return column
        }
    }

    /// The dotted module prefix every tracked task name shares (`tasks.`), or "".
    public var namePrefix: String { PaneInputs.commonPrefix(Array(viewed.ratesByName.keys)) }

    /// `name` as it fits `width`: whole when it fits, else without the shared module prefix.
    func displayName(_ name: String?, width: Int) -> String {
        PaneInputs.displayName(name, width: width, prefix: namePrefix)
    }

    /// The attempt number of `task` as the task panes show it.
    func attemptText(_ task: TaskRecord) -> String { paneInputs(for: .attempts).attemptText(task) }

    /// True when the task is on its last allowed attempt (needs a known policy).
    func isLastAttempt(_ task: TaskRecord) -> Bool { paneInputs(for: .attempts).isLastAttempt(task) }

    /// Storm alerts for the viewed model at `now`.
    public var stormAlerts: [StormAlert] {
        StormDetector().alerts(viewed.ratesByName, now: now, watchingSince: link.backfill.watchingSince)
    }

    /// The style of a task state everywhere it is shown.
    func style(of state: TaskState) -> Style { theme[PaneInputs.role(of: state)] }
}
