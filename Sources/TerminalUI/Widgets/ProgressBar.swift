/// A bar between two caps, filled to `fraction` with eighth-block resolution: `▕██▌ ▏` is 5/8 of 4.
///
/// `width` includes both caps. The ASCII glyph set has whole cells only (`[## ]`). The fraction is
/// clamped to 0...1 and rounded to the nearest eighth (nearest cell in ASCII).
public struct ProgressBar: Widget, Hashable, Sendable {
    public var fraction: Double
    public var style: Style

    public init(fraction: Double, style: Style = .plain) {
        self.fraction = fraction
        self.style = style
    }

    /// The bar as exactly `width` columns (caps included); a bare fill when `width < 3`.
    public func render(width: Int, glyphs: Glyphs = .unicode) -> String {
        guard width > 0 else { return "" }
        let capped = width >= 3
        let inner = capped ? width - 2 : width
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let steps = glyphs.progress.count
        let units = Int(f * Double(inner * steps) + 0.5)  // round half up; f >= 0, and no libm needed
        let full = units / steps
        let partial = units % steps
        var text = capped ? String(glyphs.progressLeftCap) : ""
        text += String(repeating: glyphs.progress[steps - 1], count: full)
        var drawn = full
        if partial > 0 {
            text.append(glyphs.progress[partial - 1])
            drawn += 1
        }
        text += String(repeating: " ", count: inner - drawn)
        if capped { text.append(glyphs.progressRightCap) }
        return text
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        grid.put(render(width: area.width, glyphs: grid.glyphs), x: area.x, y: area.y, style: style)
    }
}
