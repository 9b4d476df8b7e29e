/// Scrollable multi-line text (tracebacks, help), either word-wrapped or clipped at the right edge.
///
/// `offset` is the first visual line shown; it is clamped so the view never scrolls past the end.
/// Use `visualLineCount(width:)` to bound scrolling in your state.
public struct TextView: Widget, Hashable, Sendable {
    public var lines: [String]
    public var offset: Int
    public var wraps: Bool
    public var style: Style

    public init(lines: [String], offset: Int = 0, wraps: Bool = true, style: Style = .plain) {
        self.lines = lines
        self.offset = offset
        self.wraps = wraps
        self.style = style
    }

    /// The lines as drawn at `width` columns (wrapped or not).
    public func visualLines(width: Int) -> [String] {
        wraps ? lines.flatMap { TextView.wrap($0, width: width) } : lines
    }

    public func visualLineCount(width: Int) -> Int { visualLines(width: width).count }

    /// The offset actually used in an area of `height` rows and `width` columns.
    public func clampedOffset(width: Int, height: Int) -> Int {
        min(max(0, offset), max(0, visualLineCount(width: width) - height))
    }

    /// Splits `line` into pieces of at most `width` columns, breaking after spaces where possible
    /// and inside words only when a word is longer than the width. Leading indentation is kept.
    public static func wrap(_ line: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if line.displayWidth <= width { return [line] }
        var result: [String] = []
        var current: [Character] = []
        var currentWidth = 0
        var lastBreak: Int?  // index in `current` just after a space
        for ch in line {
            let w = TextWidth.of(ch)
            if ch == " " && currentWidth + w > width {
                // A space at the edge ends the line and is dropped.
                result.append(String(current))
                current = []
                currentWidth = 0
                lastBreak = nil
                continue
            }
            if currentWidth + w > width && !current.isEmpty {
                if let cut = lastBreak, cut < current.count, cut > 0 {
                    result.append(String(current[..<cut]))
                    current = Array(current[cut...])
                } else {
                    result.append(String(current))
                    current = []
                }
                currentWidth = current.reduce(0) { $0 + TextWidth.of($1) }
                lastBreak = nil
            }
            current.append(ch)
            currentWidth += w
            if ch == " " { lastBreak = current.count }
        }
        if !current.isEmpty { result.append(String(current)) }
        return result.map { piece in
            var p = piece
            while p.count > 1 && p.last == " " { p.removeLast() }
            return p
        }
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        let visual = visualLines(width: area.width)
        let start = min(max(0, offset), max(0, visual.count - area.height))
        for (i, line) in visual.dropFirst(start).prefix(area.height).enumerated() {
            grid.put(line, x: area.x, y: area.y + i, style: style, maxWidth: area.width)
        }
    }
}
