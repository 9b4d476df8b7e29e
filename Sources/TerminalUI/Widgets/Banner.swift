/// A full-width line in one style (e.g. a red `⚠ STORM` or `disconnected` warning), padded to the edge.
public struct Banner: Widget, Hashable, Sendable {
    public var text: String
    public var role: StyleRole
    public var alignment: Alignment

    public init(_ text: String, role: StyleRole = .alarmBanner, alignment: Alignment = .left) {
        self.text = text
        self.role = role
        self.alignment = alignment
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        let line = TextWidth.fit(text, width: area.width, alignment: alignment, ellipsis: grid.glyphs.ellipsis)
        grid.put(line, x: area.x, y: area.y, style: grid.theme[role], maxWidth: area.width)
    }
}
