import Monitor
import TerminalUI

/// The entry points the runtime calls: `update` (see Update.swift) and `renderFrame`.
///
/// A frame is a pure function of the state: header, the screen on top of the view stack, the status
/// line and the footer, with help and the confirmation dialog drawn over them. View models build only
/// the rows on screen, so a frame's cost follows the terminal size, not the number of tasks.
public enum Dashboard {
    /// Draws the whole screen for `state` at its size and `now`.
    public static func renderFrame(state: AppState) -> Grid {
        var grid = Grid(width: state.width, height: state.height, glyphs: state.glyphs, theme: state.theme)
        render(state, into: &grid)
        return grid
    }

    /// `renderFrame` drawn into the storage of the grid taken from `spare` when it is for the same size
    /// and glyphs (blanked first; when nothing else holds it, no allocation), else into a new grid.
    public static func renderFrame(state: AppState, reusing spare: inout Grid?) -> Grid {
        guard var grid = spare.take(), grid.width == state.width, grid.height == state.height, grid.glyphs == state.glyphs else {
            return renderFrame(state: state)
        }
        grid.blank()
        render(state, into: &grid)
        return grid
    }

    /// Draws into an existing grid (its size should match the state's).
    public static func render(_ state: AppState, into grid: inout Grid) {
        grid.theme = state.theme
        if state.isTooSmall {
            grid.render(TooSmallView(width: state.width, height: state.height), in: grid.area)
            return
        }
        let layout = state.frameLayout
        let header = state.headerModel()
        grid.render(HeaderView(header), in: layout.header)
        if let banner = header.banner { grid.render(Banner(banner), in: layout.banner) }
        if let line = state.requeueLineModel() { grid.render(StatusLine(left: line.left, right: line.right), in: layout.requeue) }
        for (index, line) in state.changeLineModels().enumerated() {
            grid.render(StatusLine(left: line.left, right: line.right), in: layout.changes.row(index))
        }
        if let line = state.reportLineModel() { grid.render(StatusLine(left: line.left, right: line.right), in: layout.report) }

        switch state.screen {
        case .overview:
            let overview = state.overviewLayout
            let panes = PaneID.overview.map { pane in
                state.paneModel(pane, in: overview.expanded[pane] ?? overview.collapsed[pane] ?? .zero)
            }
            grid.render(OverviewView(layout: overview, panes: panes), in: layout.content)
        case .exceptions:
            grid.render(PaneView(state.paneModel(.exceptions, in: layout.content)), in: layout.content)
        case .groupTasks:
            grid.render(PaneView(state.paneModel(.groupTasks, in: layout.content)), in: layout.content)
        case .taskDetail(let id):
            if let model = state.taskDetailModel(id, in: layout.content) {
                grid.render(TaskDetailView(model), in: layout.content)
            } else {
                grid.render(Banner("Task \(id) is no longer tracked (evicted). Esc goes back.", role: .warningStrong), in: layout.content.row(1))
            }
        case .worker(let host):
            grid.render(WorkerView(state.workerModel(host, in: layout.content)), in: layout.content)
        case .traceback(let id, let attempt, let offset):
            let text = state.viewed.traceback(taskID: id, attempt: attempt) ?? "(traceback no longer kept)"
            let name = state.viewed.tasks[id]?.name ?? "task"
            let model = TracebackModel(
                title: "Traceback \(state.glyphs.dash) attempt \(attempt) of \(name) \(id.prefix(8))\(state.glyphs.ellipsis)",
                lines: TracebackLayout.lines(text), offset: offset)
            grid.render(TracebackView(model), in: layout.content)
        }

        if case .help(let offset) = state.mode {
            grid.render(HelpView(lines: state.legendLines() + state.keymap.helpLines(), offset: offset, readOnly: state.readOnly), in: layout.content)
        }
        let status = state.statusModel()
        grid.render(StatusLine(left: status.left, right: status.right), in: layout.status)
        let footer = KeyHints(state.footerHints, keyRole: .accent)
        grid.render(footer, in: layout.footer.inset(horizontal: 1))

        if case .confirm(let confirmation) = state.mode {
            let dialog = Dialog(
                title: confirmation.title, message: confirmation.lines, buttons: state.footerHints,
                isDangerous: confirmation.effect != nil, minWidth: 50)
            let area = Rect(x: 0, y: 0, width: grid.width, height: grid.height).inset(horizontal: max(2, grid.width / 8))
            grid.render(dialog, in: area)
        }
    }
}
