/// A one-row bar with spans on the left and spans flush right, on a background style.
///
/// The right side wins when space is short (it usually holds the clock or connection state); the
/// left side is truncated with an ellipsis, keeping one column between the two.
public struct StatusLine: Widget, Hashable, Sendable {
    public var left: [Span]
    public var right: [Span]
    public var style: Style

    public init(left: [Span], right: [Span] = [], style: Style = .plain) {
        self.left = left
        self.right = right
        self.style = style
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        grid.fill(row, style: style)
        let rightWidth = min(right.reduce(0) { $0 + $1.width }, area.width)
        if rightWidth > 0 {
            grid.put(right, x: area.maxX - rightWidth, y: area.y, maxWidth: rightWidth)
        }
        let leftRoom = rightWidth > 0 ? area.width - rightWidth - 1 : area.width
        guard leftRoom > 0 else { return }
        let leftWidth = left.reduce(0) { $0 + $1.width }
        if leftWidth <= leftRoom {
            grid.put(left, x: area.x, y: area.y, maxWidth: leftRoom)
        } else {
            let ellipsis = grid.glyphs.ellipsis
            let used = grid.put(left, x: area.x, y: area.y, maxWidth: leftRoom - ellipsis.displayWidth)
            let lastStyle = left.last?.style ?? style
            grid.put(ellipsis, x: area.x + used, y: area.y, style: lastStyle, maxWidth: leftRoom - used)
        }
    }
}
