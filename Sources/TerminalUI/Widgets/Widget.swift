/// Something that draws itself into an area of a grid: a pure function of its own values and the area.
///
/// Widgets clip to `area` and never draw outside it; an empty area draws nothing.
public protocol Widget {
    func draw(in area: Rect, on grid: inout Grid)
}

extension Grid {
    /// Draws `widget` into `area`; the usual call site: `grid.render(Box(title: "Workers"), in: rect)`.
    public mutating func render(_ widget: some Widget, in area: Rect) {
        widget.draw(in: area, on: &self)
    }
}
