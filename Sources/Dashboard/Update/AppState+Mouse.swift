import TerminalUI

extension AppState {
    /// Seconds between two presses on the same row that make a double click.
    public static let doubleClickSeconds = 0.4
    /// Rows one wheel notch moves the selection.
    public static let wheelRows = 3

    /// The lists of the current screen and where they are drawn (pure: the same layouts the views use).
    public var listAreas: [(pane: PaneID, area: Rect)] {
        let content = frameLayout.content
        switch screen {
        case .overview:
            let layout = overviewLayout
            return PaneID.overview.compactMap { pane in (layout.expanded[pane] ?? layout.collapsed[pane]).map { (pane, $0) } }
        case .exceptions: return [(.exceptions, content)]
        case .groupTasks: return [(.groupTasks, content)]
        case .taskDetail(let id):
            let task = viewed.tasks[id]
            let factLines = DetailLayout.factLines + (task.flatMap { gapNotice($0) } == nil ? 0 : 1)
            return [(.attempts, DetailLayout(content: content, attemptCount: task?.attempts.count ?? 0, factLines: factLines).attempts)]
        case .traceback, .worker: return []
        }
    }

    /// The list and row under cell (`x`, `y`): rows start below the box's top border and column header.
    public func hit(x: Int, y: Int) -> MouseHit? {
        guard let (pane, area) = listAreas.first(where: { $0.area.contains(x: x, y: y) }) else { return nil }
        let bodyRows = max(0, area.height - 3)
        let index = y - area.y - 2
        guard area.height > 1, index >= 0, index < bodyRows else { return MouseHit(pane: pane) }
        let window = rankedList(pane).window(cursor: cursor(pane), bodyRows: bodyRows)
        guard index < window.ids.count else { return MouseHit(pane: pane) }
        return MouseHit(pane: pane, rowID: window.ids[index], rank: window.start + index)
    }

    /// A click, double click or wheel turn, turned into what the keys do: focus a pane (Tab), select a
    /// row (j/k), open it (Enter), scroll (j/k, or the traceback's and help's own scrolling).
    mutating func handleMouse(_ event: MouseEvent) -> [Effect] {
        switch event.action {
        case .wheelUp, .wheelDown:
            let command: Command = event.action == .wheelUp ? .moveUp : .moveDown
            if case .help = mode {
                var effects: [Effect] = []
                for _ in 0..<AppState.wheelRows { effects += handle(command == .moveUp ? .up : .down) }
                return effects
            }
            guard mode == .normal else { return [] }
            if screen == .overview, let hit = hit(x: event.x, y: event.y) { focusedPane = hit.pane }
            for _ in 0..<AppState.wheelRows { _ = perform(command) }
            return []
        case .press:
            guard mode == .normal, let hit = hit(x: event.x, y: event.y) else { return [] }
            if screen == .overview { focusedPane = hit.pane }
            guard let id = hit.rowID, let rank = hit.rank else {
                lastClick = nil
                return []
            }
            var current = cursor(hit.pane)
            current.selectedID = id
            current.lastIndex = rank
            cursors[hit.pane] = current
            if let last = lastClick, last.rowID == id, last.pane == hit.pane, now - last.at <= AppState.doubleClickSeconds {
                lastClick = nil
                return perform(.open)
            }
            lastClick = MouseClick(pane: hit.pane, rowID: id, at: now)
            return []
        case .release, .otherButton:
            return []
        }
    }
}
