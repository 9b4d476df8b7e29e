/// A scrolling table: header row, aligned columns, a selected row and marked rows.
///
/// Layout of `area`: one header row, then body rows. Every row starts with a one-column gutter that
/// shows the mark glyph for marked rows, else the pointer (▸) for the selected row. The selected row
/// is drawn reversed across its full width. When rows do not fit, the last body line is kept for a
/// dim "…N more" hint (rows below the window; on the last page it shows a row instead) and the window
/// scrolls so the selection stays visible.
///
/// Views are pure, so the table does not remember its scroll position: pass the previous `offset`
/// (from your view state) and read the adjusted one back with `visibleRange(height:)`.
public struct Table: Widget, Hashable, Sendable {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    public var selected: Int?
    /// First body row shown last frame; adjusted here to keep `selected` visible.
    public var offset: Int
    public var headerRole: StyleRole
    public var hintRole: StyleRole
    /// Reverse-video the selected row (turn off for an unfocused pane to show only the pointer).
    public var highlightsSelection: Bool
    public var columnSpacing: Int

    public init(
        columns: [TableColumn], rows: [TableRow], selected: Int? = nil, offset: Int = 0,
        headerRole: StyleRole = .strong, hintRole: StyleRole = .muted,
        highlightsSelection: Bool = true, columnSpacing: Int = 1
    ) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.offset = offset
        self.headerRole = headerRole
        self.hintRole = hintRole
        self.highlightsSelection = highlightsSelection
        self.columnSpacing = columnSpacing
    }

    /// The rows shown in an area of `height` lines (header included).
    public func visibleRange(height: Int) -> Range<Int> {
        let body = max(0, height - 1)
        guard rows.count > body else { return 0..<rows.count }
        let window = max(0, body - 1)
        let start = Table.scrollOffset(selected: selected, offset: offset, visibleRows: window, rowCount: rows.count)
        // On the last page nothing is below, so the hint line can show one more row.
        if rows.count - start <= body { return (rows.count - body)..<rows.count }
        return start..<(start + window)
    }

    /// The first row to show so that `selected` is inside a window of `visibleRows` rows, moving the
    /// previous `offset` as little as possible and never past the end.
    public static func scrollOffset(selected: Int?, offset: Int, visibleRows: Int, rowCount: Int) -> Int {
        guard visibleRows > 0, rowCount > visibleRows else { return 0 }
        var start = min(max(0, offset), rowCount - visibleRows)
        if let selected {
            let s = min(max(0, selected), rowCount - 1)
            if s < start { start = s } else if s >= start + visibleRows { start = s - visibleRows + 1 }
        }
        return start
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        let gutter = 1
        let content = Rect(x: area.x + gutter, y: area.y, width: area.width - gutter, height: area.height)
        let columnRects = content.columns(columns.map(\.width), spacing: columnSpacing)
        let ellipsis = grid.glyphs.ellipsis

        for (column, rect) in zip(columns, columnRects) where rect.width > 0 {
            let text = TextWidth.fit(column.title, width: rect.width, alignment: column.alignment, ellipsis: ellipsis)
            grid.put(text, x: rect.x, y: area.y, style: grid.theme[headerRole], maxWidth: rect.width)
        }

        let range = visibleRange(height: area.height)
        var y = area.y + 1
        for index in range {
            let row = rows[index]
            let isSelected = index == selected
            let gutterGlyph: Character = row.isMarked ? grid.glyphs.mark : (isSelected ? grid.glyphs.pointer : " ")
            grid.put(String(gutterGlyph), x: area.x, y: y, style: row.style)
            for (i, rect) in columnRects.enumerated() where rect.width > 0 && i < row.cells.count {
                let cell = row.cells[i]
                let text = TextWidth.fit(cell.text, width: rect.width, alignment: columns[i].alignment, ellipsis: ellipsis)
                grid.put(text, x: rect.x, y: y, style: cell.style ?? row.style, maxWidth: rect.width)
            }
            if isSelected && highlightsSelection {
                grid.updateStyle(in: Rect(x: area.x, y: y, width: area.width, height: 1)) { $0.reverse() }
            }
            y += 1
        }
        let below = rows.count - range.upperBound
        if below > 0 && y < area.maxY {
            grid.put("\(ellipsis)\(below) more", x: content.x, y: y, style: grid.theme[hintRole], maxWidth: content.width)
        }
    }
}
