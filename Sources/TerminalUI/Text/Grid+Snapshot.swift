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
            if !cell.isContinuation { text.append(cell.character) }
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
