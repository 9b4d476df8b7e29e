import TerminalUI

/// Draws the help screen: the focused list's column legend, then the key table, in two columns when wide enough.
public struct HelpView: Widget {
    public var lines: [HelpLine]
    public var offset: Int
    public var readOnly: Bool

    public init(lines: [HelpLine], offset: Int, readOnly: Bool) {
        self.lines = lines
        self.offset = offset
        self.readOnly = readOnly
    }

    static func role(of kind: HelpLine.Kind) -> StyleRole {
        switch kind {
        case .heading: .accent
        case .binding, .blank: .plain
        case .dangerous: .failure
        case .disabled: .muted
        }
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        grid.clear(area)
        let title = readOnly ? "Help (read-only: actions disabled)" : "Help"
        let box = Box(title: title, rightTitle: "columns of the focused list, keys from the key table; j/k scroll, ?/Esc close", isFocused: true)
        grid.render(box, in: area)
        let inner = box.inner(of: area).inset(horizontal: 1)
        guard !inner.isEmpty else { return }
        let widest = lines.map(\.text.displayWidth).max() ?? 0
        let twoColumns = inner.width >= widest * 2 + 4 && lines.count > inner.height
        var columns: [[HelpLine]] = [lines]
        if twoColumns {
            // Break at a heading near the middle so no group is split.
            let middle = lines.count / 2
            let headings = lines.indices.filter { lines[$0].kind == .heading && $0 > 0 }
            let cut = headings.min { abs($0 - middle) < abs($1 - middle) } ?? middle
            var right = Array(lines[cut...])
            while right.first?.kind == .blank { right.removeFirst() }
            columns = [Array(lines[..<cut]), right]
        }
        let rects = twoColumns ? inner.columns([.fill(1), .fill(1)], spacing: 2) : [inner]
        for (column, rect) in zip(columns, rects) {
            let start = min(max(0, offset), max(0, column.count - rect.height))
            for (index, line) in column.dropFirst(start).prefix(rect.height).enumerated() {
                grid.put(line.text, x: rect.x, y: rect.y + index, style: grid.theme[HelpView.role(of: line.kind)], truncatingTo: rect.width)
            }
        }
    }
}
