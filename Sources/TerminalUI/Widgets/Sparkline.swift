/// A one-row chart of recent values, newest on the right, scaled to the largest value shown.
///
/// Zero (or negative) values draw the lowest level, so an idle series still reads as a baseline.
/// With fewer values than columns, the line is right-aligned (padded with spaces on the left).
public struct Sparkline: Widget, Hashable, Sendable {
    public var values: [Double]
    /// Scale top; nil means the largest value shown.
    public var maximum: Double?
    public var style: Style

    public init(values: [Double], maximum: Double? = nil, style: Style = .plain) {
        self.values = values
        self.maximum = maximum
        self.style = style
    }

    /// The sparkline as exactly `width` columns of `glyphs.sparkline` levels.
    public func render(width: Int, glyphs: Glyphs = .unicode) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let levels = glyphs.sparkline
        let top = maximum ?? shown.max() ?? 0
        var text = String(repeating: " ", count: width - shown.count)
        for value in shown {
            let v = value.isFinite ? value : 0
            let fraction = top > 0 ? min(max(v / top, 0), 1) : 0
            let index = Int(fraction * Double(levels.count - 1) + 0.5)  // round half up; fraction >= 0
            text.append(levels[index])
        }
        return text
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        grid.put(render(width: area.width, glyphs: grid.glyphs), x: area.x, y: area.y, style: style, maxWidth: area.width)
    }
}
