import TerminalUI

/// The task detail's areas: a title line, four fact lines (five when the task's history spans a gap),
/// the attempts box (as tall as its attempts),
/// and a traceback preview box in the rest when the terminal is tall enough (28+ content rows).
public struct DetailLayout: Sendable, Equatable {
    public static let factLines = 4

    public var title: Rect
    public var facts: Rect
    public var attempts: Rect
    public var preview: Rect

    public init(content: Rect, attemptCount: Int, factLines: Int = DetailLayout.factLines) {
        let hasPreview = content.height >= 28
        let attemptsHeight: Constraint = hasPreview ? .fixed(max(6, attemptCount + 3)) : .fill(1)
        let rows = content.rows([.fixed(1), .fixed(factLines), attemptsHeight, hasPreview ? .fill(1) : .fixed(0)])
        title = rows[0]
        facts = rows[1]
        attempts = rows[2]
        preview = rows[3]
    }

    /// Table body rows of the attempts box.
    public var attemptBodyRows: Int { max(0, attempts.height - 3) }
}
