import TerminalUI

/// Draws the two header lines (and the reconnect banner into its own rect).
public struct HeaderView: Widget {
    public var model: HeaderModel

    public init(_ model: HeaderModel) {
        self.model = model
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        let rows = area.rows([.fixed(1), .fixed(1)])
        grid.render(StatusLine(left: model.topLeft, right: model.topRight), in: rows[0])
        grid.render(StatusLine(left: model.bottomLeft, right: model.bottomRight), in: rows[1])
    }
}
