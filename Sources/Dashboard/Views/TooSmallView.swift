import TerminalUI

/// The whole screen when the terminal is below the minimum size: what is needed and what there is.
public struct TooSmallView: Widget {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var lines: [String] {
        [
            "retrytop needs at least \(AppState.minimumWidth)x\(AppState.minimumHeight);",
            "this terminal is \(width)x\(height).",
            "",
            "Enlarge the window, or press q to quit.",
        ]
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        let text = lines
        let box = area.centered(width: text.map(\.displayWidth).max() ?? 0, height: text.count)
        for (index, line) in text.enumerated() {
            let style = index < 2 ? grid.theme[.warningStrong] : grid.theme[.muted]
            grid.put(TextWidth.fit(line, width: box.width, alignment: .center), x: box.x, y: box.y + index, style: style, maxWidth: area.width)
        }
    }
}
