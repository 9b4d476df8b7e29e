extension Grid {
    /// The screen as text: one line per row joined with "\n", trailing spaces trimmed.
    /// This is the format of golden screen files.
    public func plainText() -> String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height { lines.append(line(y)) }
        return lines.joined(separator: "\n")
    }

    /// Row `y` as text with trailing spaces trimmed.
    public func line(_ y: Int) -> String {
        var text = ""
        text.reserveCapacity(width)
        for x in 0..<width {
            let cell = self[x, y]
            if !cell.isContinuation { cell.append(to: &text) }
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// One line naming the distinct non-default styles in use, sorted, e.g.
    /// `styles: bold, bold+fg=cyan, reverse`; `styles: none` for an unstyled screen.
    public func styleSummary() -> String {
        var seen = Set<Style>()
        for cell in cells where cell.style != .plain { seen.insert(cell.style) }
        guard !seen.isEmpty else { return "styles: none" }
        return "styles: " + seen.map(\.description).sorted().joined(separator: ", ")
    }
}

extension Grid {
    /// Where each non-default style is: one line per row that has any, with its runs of one style, e.g.
    /// `  3: 1-9 bold+fg=cyan, 12-20 reverse`. Rows and columns count from 1 (row N is line N of
    /// `plainText()`); a run is a stretch of cells with the same style. `styles: none` for an unstyled screen.
    ///
    /// This is the golden files' style section: it records the position of a highlight, so a selection
    /// bar or a red count drawn on the wrong row or column fails the comparison.
    public func styleRuns() -> String {
        var rows: [String] = []
        for y in 0..<height {
            var runs: [String] = []
            var x = 0
            while x < width {
                let style = self[x, y].style
                var end = x
                while end + 1 < width, self[end + 1, y].style == style { end += 1 }
                if style != .plain { runs.append("\(x + 1)-\(end + 1) \(style.description)") }
                x = end + 1
            }
            guard !runs.isEmpty else { continue }
            let row = String(y + 1)
            rows.append(String(repeating: " ", count: max(0, 3 - row.count)) + row + ": " + runs.joined(separator: ", "))
        }
        return rows.isEmpty ? "styles: none" : "styles by row:\n" + rows.joined(separator: "\n")
    }
}
