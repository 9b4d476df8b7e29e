import TerminalUI

/// Draws the worker view: the title line, then one line per row of the model, cut to the area.
public struct WorkerView: Widget {
    public var model: WorkerModel

    public init(_ model: WorkerModel) {
        self.model = model
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        grid.render(StatusLine(left: model.title, right: model.titleRight), in: area.row(0))
        for (index, line) in model.lines.prefix(max(0, area.height - 1)).enumerated() {
            grid.render(StatusLine(left: line), in: area.row(index + 1))
        }
    }
}
