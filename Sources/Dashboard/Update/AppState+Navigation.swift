import Monitor
import TerminalUI

extension AppState {
    /// The id of the selected row of `pane`: the cursor's id while it is still listed, else the row now
    /// at the cursor's last position.
    public func selectedID(in pane: PaneID) -> String? {
        let list = rankedList(pane)
        guard list.count > 0 else { return nil }
        let cursor = cursor(pane)
        if let id = cursor.selectedID, list.rows.contains(where: { $0.id == id }) { return id }
        let index = min(max(0, cursor.lastIndex), list.count - 1)
        return list.ranks(index..<(index + 1)).first
    }

    /// Moves the selection of the active list, keeping it on ids and the window steady.
    mutating func moveSelection(_ command: Command) {
        guard let pane = activeList else { return }
        let ids = rankedList(pane).orderedIDs()
        guard !ids.isEmpty else { return }
        var current = cursor(pane)
        let index = current.selectedID.flatMap { ids.firstIndex(of: $0) } ?? min(max(0, current.lastIndex), ids.count - 1)
        let page = max(1, bodyRows(for: pane) - 1)
        let target: Int = switch command {
        case .moveUp: index - 1
        case .moveDown: index + 1
        case .top: 0
        case .bottom: ids.count - 1
        case .pageUp: index - page
        case .pageDown: index + page
        default: index
        }
        let next = min(max(0, target), ids.count - 1)
        current.selectedID = ids[next]
        current.lastIndex = next
        current.offset = ListWindow.span(total: ids.count, selected: next, offset: current.offset, bodyRows: bodyRows(for: pane)).start
        cursors[pane] = current
    }

    /// Scrolls the traceback viewer, bounded by its wrapped length.
    mutating func scrollTraceback(_ command: Command) {
        guard case .traceback(let id, let attempt, let offset) = screen else { return }
        let area = TracebackLayout(content: frameLayout.content).text
        let lines = viewed.traceback(taskID: id, attempt: attempt).map(TracebackLayout.lines) ?? []
        let maxOffset = max(0, TextView(lines: lines).visualLineCount(width: area.width) - area.height)
        let page = max(1, area.height - 1)
        let target: Int = switch command {
        case .moveUp: offset - 1
        case .moveDown: offset + 1
        case .top: 0
        case .bottom: maxOffset
        case .pageUp: offset - page
        case .pageDown: offset + page
        default: offset
        }
        stack[stack.count - 1] = .traceback(taskID: id, attempt: attempt, offset: min(max(0, target), maxOffset))
    }

    /// The rows shared by every screen, for the current size.
    public var frameLayout: FrameLayout {
        FrameLayout(
            width: width, height: height, hasBanner: link.connection.needsBanner, hasRequeueLine: requeue != nil,
            changeRows: min(workerChanges.count, AppState.maxChangeRows), hasReport: report != nil)
    }

    /// The overview's pane layout for the current size and focus.
    public var overviewLayout: OverviewLayout {
        OverviewLayout(content: frameLayout.content, focused: focusedPane, workerCount: viewed.workers.count)
    }

    /// Table body rows the list `pane` shows at the current size.
    public func bodyRows(for pane: PaneID) -> Int {
        let content = frameLayout.content
        switch pane {
        case .retrying, .active, .rates, .workers, .failed: return overviewLayout.bodyRows(pane)
        case .exceptions, .groupTasks: return max(0, content.height - 3)
        case .attempts:
            guard case .taskDetail(let id) = stackScreen(of: .attempts) else { return 0 }
            let task = viewed.tasks[id]
            let factLines = DetailLayout.factLines + (task.flatMap { gapNotice($0) } == nil ? 0 : 1)
            return DetailLayout(content: content, attemptCount: task?.attempts.count ?? 0, factLines: factLines).attemptBodyRows
        }
    }

    /// Lines of the help screen visible at once.
    var helpVisibleRows: Int { max(1, frameLayout.content.height - 2) }
}
