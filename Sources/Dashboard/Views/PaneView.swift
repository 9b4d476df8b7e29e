import TerminalUI

/// Draws a `PaneModel`: a box, a table of the window's rows, an empty-list line or a `…N more` hint.
public struct PaneView: Widget {
    public var model: PaneModel

    public init(_ model: PaneModel) {
        self.model = model
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        let box = Box(title: model.title, rightTitle: model.rightTitle, isFocused: model.isFocused)
        grid.render(box, in: area)
        let inner = box.inner(of: area)
        guard !inner.isEmpty else { return }
        let table = Table(
            columns: model.columns, rows: model.rows, selected: model.selectedRow,
            highlightsSelection: model.isFocused
        )
        grid.render(table, in: inner)
        if model.rows.isEmpty, inner.height > 1 {
            grid.put(model.emptyText, x: inner.x + 1, y: inner.y + 1, style: grid.theme[.muted], truncatingTo: inner.width - 1)
        }
        if model.below > 0, inner.height > 1 {
            let text = "\(grid.glyphs.ellipsis)\(NumberText.grouped(model.below)) more"
            grid.put(text, x: inner.x + 1, y: inner.maxY - 1, style: grid.theme[.muted], truncatingTo: inner.width - 1)
        }
    }
}

/// Draws a collapsed pane as one border-styled line: `─ Active 3 ─ longest 2:10 … ───`.
public struct CollapsedPaneView: Widget {
    public var model: PaneModel

    public init(_ model: PaneModel) {
        self.model = model
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        let line = String(repeating: grid.glyphs.horizontal, count: area.width)
        grid.put(line, x: area.x, y: area.y, style: grid.theme[.muted])
        var spans: [Span] = [Span(" \(model.title) ", style: grid.theme[.strong]), Span("\(grid.glyphs.horizontal) ", style: grid.theme[.muted])]
        spans.append(contentsOf: model.summary)
        let width = spans.reduce(0) { $0 + $1.width }
        let used = grid.put(spans, x: area.x + 1, y: area.y, maxWidth: area.width - 2)
        if used < width, area.width > 3 {
            grid.put(grid.glyphs.ellipsis, x: area.x + used, y: area.y, maxWidth: 1)
        }
        if used < area.width - 2 { grid.put(" ", x: area.x + 1 + used, y: area.y) }
    }
}
