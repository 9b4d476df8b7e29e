import TerminalUI

/// What the worker view shows: a title line and the lines under it, already laid out for the width.
public struct WorkerModel: Sendable, Equatable {
    public var title: [Span]
    public var titleRight: [Span]
    public var lines: [[Span]]

    public init(title: [Span], titleRight: [Span], lines: [[Span]]) {
        self.title = title
        self.titleRight = titleRight
        self.lines = lines
    }
}
