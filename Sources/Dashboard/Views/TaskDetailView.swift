import TerminalUI

/// Draws the task detail: title line, facts, attempts table and the traceback preview.
public struct TaskDetailView: Widget {
    public var model: TaskDetailModel

    public init(_ model: TaskDetailModel) {
        self.model = model
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        let layout = DetailLayout(content: area, attemptCount: model.attemptCount, factLines: model.facts.count)
        grid.render(StatusLine(left: model.title, right: model.titleRight), in: layout.title)
        for (index, line) in model.facts.enumerated() {
            let row = layout.facts.row(index)
            guard !row.isEmpty else { continue }
            grid.render(StatusLine(left: line), in: row)
        }
        grid.render(PaneView(model.attempts), in: layout.attempts)
        guard layout.preview.height >= 3 else { return }
        let box = Box(title: model.previewTitle)
        grid.render(box, in: layout.preview)
        let inner = box.inner(of: layout.preview).inset(horizontal: 1)
        for (index, line) in model.previewLines.prefix(inner.height).enumerated() {
            grid.put(line, x: inner.x, y: inner.y + index, style: grid.theme[TracebackView.role(of: line)], truncatingTo: inner.width)
        }
    }
}
