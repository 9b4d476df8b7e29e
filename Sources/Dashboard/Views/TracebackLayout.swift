import TerminalUI

/// The traceback viewer's areas: a box filling the content, the text inside it with one column of padding.
public struct TracebackLayout: Sendable, Equatable {
    public var box: Rect
    public var text: Rect

    public init(content: Rect) {
        box = content
        text = content.inset(by: 1).inset(horizontal: 1)
    }

    /// A traceback's lines, without the trailing empty line Celery leaves.
    public static func lines(_ traceback: String) -> [String] {
        var lines = traceback.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
