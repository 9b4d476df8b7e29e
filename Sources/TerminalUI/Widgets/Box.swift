/// A bordered panel with a title on the top-left and an optional title on the top-right.
///
/// A focused box draws its border in `focusRole` and its title in the theme's `focusTitle` (reversed
/// in the monochrome theme), so the focused pane stays visible without colour. Titles are truncated with an ellipsis to fit; the right title
/// (flush against the top-right corner) gives way first. Draw the content into `inner(of:)`.
public struct Box: Widget, Hashable, Sendable {
    public var title: String
    public var rightTitle: String
    public var isFocused: Bool
    public var borderRole: StyleRole
    public var focusRole: StyleRole

    public init(
        title: String = "", rightTitle: String = "", isFocused: Bool = false,
        borderRole: StyleRole = .plain, focusRole: StyleRole = .focusBorder
    ) {
        self.title = title
        self.rightTitle = rightTitle
        self.isFocused = isFocused
        self.borderRole = borderRole
        self.focusRole = focusRole
    }

    /// The area inside the border.
    public func inner(of area: Rect) -> Rect { area.inset(by: 1) }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard area.width >= 2, area.height >= 2 else { return }
        let g = grid.glyphs
        let style = grid.theme[isFocused ? focusRole : borderRole]
        let horizontal = String(repeating: g.horizontal, count: area.width - 2)
        grid.put(String(g.topLeft) + horizontal + String(g.topRight), x: area.x, y: area.y, style: style)
        grid.put(String(g.bottomLeft) + horizontal + String(g.bottomRight), x: area.x, y: area.maxY - 1, style: style)
        for y in (area.y + 1)..<(area.maxY - 1) {
            grid.put(String(g.vertical), x: area.x, y: y, style: style)
            grid.put(String(g.vertical), x: area.maxX - 1, y: y, style: style)
        }
        // Titles sit between the corners; at least one border cell separates them.
        let inner = area.width - 2
        guard inner > 3 else { return }
        var used = 0
        if !title.isEmpty {
            let text = " " + TextWidth.truncate(title, width: inner - 3, ellipsis: g.ellipsis) + " "
            let titleStyle = isFocused && focusRole == .focusBorder ? grid.theme[.focusTitle] : style.bold(isFocused || style.isBold)
            used = grid.put(text, x: area.x + 1, y: area.y, style: titleStyle)
        }
        if !rightTitle.isEmpty {
            let free = inner - used - (used > 0 ? 1 : 0)
            guard free > 2 else { return }
            let text = " " + TextWidth.truncate(rightTitle, width: free - 2, ellipsis: g.ellipsis) + " "
            grid.put(text, x: area.maxX - 1 - text.displayWidth, y: area.y, style: style)
        }
    }
}
