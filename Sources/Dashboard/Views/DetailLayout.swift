import TerminalUI

/// The task detail's areas: a title line, four fact lines, the attempts box, and a traceback preview
/// box when the terminal is tall enough (28+ content rows).
public struct DetailLayout: Sendable, Equatable {
    public static let factLines = 4

    public var title: Rect
    public var facts: Rect
    public var attempts: Rect
    public var preview: Rect

    public init(content: Rect) {
        let previewHeight = content.height >= 28 ? min(14, (content.height - 1 - DetailLayout.factLines) / 2) : 0
        let rows = content.rows([.fixed(1), .fixed(DetailLayout.factLines), .fill(1), .fixed(previewHeight)])
        title = rows[0]
        facts = rows[1]
        attempts = rows[2]
        preview = rows[3]
    }

    /// Table body rows of the attempts box.
    public var attemptBodyRows: Int { max(0, attempts.height - 3) }
}
