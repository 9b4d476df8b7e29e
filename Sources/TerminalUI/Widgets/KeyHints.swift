/// A footer of key hints, `Tab pane  Enter detail  q quit`, keys emphasised.
///
/// Hints are kept in order and dropped whole from the end when the row is too narrow, so a hint is
/// never shown cut in half. Give the most important hints first (help and quit are usually last,
/// so callers that must keep them should place them first).
public struct KeyHints: Widget, Hashable, Sendable {
    public var hints: [KeyHint]
    public var keyRole: StyleRole
    public var labelRole: StyleRole
    public var separator: String

    public init(_ hints: [KeyHint], keyRole: StyleRole = .strong, labelRole: StyleRole = .plain, separator: String = "  ") {
        self.hints = hints
        self.keyRole = keyRole
        self.labelRole = labelRole
        self.separator = separator
    }

    /// The spans that fit in `width` columns, styled by `theme`.
    public func spans(width: Int, theme: Theme = .color) -> [Span] {
        let keyStyle = theme[keyRole]
        let labelStyle = theme[labelRole]
        var spans: [Span] = []
        var used = 0
        for hint in hints {
            let gap = spans.isEmpty ? 0 : separator.displayWidth
            let hintWidth = hint.key.displayWidth + (hint.label.isEmpty ? 0 : 1 + hint.label.displayWidth)
            guard used + gap + hintWidth <= width else { break }
            if gap > 0 { spans.append(Span(separator, style: labelStyle)) }
            spans.append(Span(hint.key, style: keyStyle))
            if !hint.label.isEmpty { spans.append(Span(" " + hint.label, style: labelStyle)) }
            used += gap + hintWidth
        }
        return spans
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        guard !area.isEmpty else { return }
        grid.put(spans(width: area.width, theme: grid.theme), x: area.x, y: area.y, maxWidth: area.width)
    }
}
