import TerminalUI

/// The line above the footer: the input being typed, or the latest message, with marks and progress.
public struct StatusModel: Sendable, Equatable {
    public var left: [Span]
    public var right: [Span]

    public init(left: [Span], right: [Span]) {
        self.left = left
        self.right = right
    }
}
