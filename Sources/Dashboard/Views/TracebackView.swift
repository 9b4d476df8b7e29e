import TerminalUI

/// Draws a traceback wrapped to the width, scrolled to the model's offset, with Python's structure
/// coloured: frames plain, source lines cyan, carets dim, the exception itself red.
public struct TracebackView: Widget {
    public var model: TracebackModel

    public init(_ model: TracebackModel) {
        self.model = model
    }

    /// The role of one traceback line, by its shape.
    public static func role(of line: String) -> StyleRole {
        if line.hasPrefix("Traceback (") || line.hasPrefix("During handling") || line.hasPrefix("The above exception") {
            return .strong
        }
        if line.hasPrefix("    ") {
            return line.trimmingCharacters().allSatisfy({ $0 == "^" || $0 == "~" }) ? .muted : .info
        }
        if line.hasPrefix("  File ") { return .plain }
        return line.isEmpty ? .plain : .failureStrong
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        let layout = TracebackLayout(content: area)
        var visual: [(String, Style)] = []
        for line in model.lines {
            let style = grid.theme[TracebackView.role(of: line)]
            for piece in TextView.wrap(line, width: max(1, layout.text.width)) { visual.append((piece, style)) }
        }
        let height = layout.text.height
        let offset = min(max(0, model.offset), max(0, visual.count - height))
        let last = min(visual.count, offset + height)
        let position = visual.isEmpty ? "empty" : "lines \(offset + 1)-\(last) of \(visual.count)"
        grid.render(Box(title: model.title, rightTitle: position, isFocused: true), in: layout.box)
        for (index, entry) in visual.dropFirst(offset).prefix(height).enumerated() {
            grid.put(entry.0, x: layout.text.x, y: layout.text.y + index, style: entry.1, maxWidth: layout.text.width)
        }
    }
}
