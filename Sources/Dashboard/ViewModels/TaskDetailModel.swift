import TerminalUI

/// What the task detail screen shows: identity, facts, the attempt history and a traceback preview.
public struct TaskDetailModel: Sendable, Equatable {
    public var title: [Span]
    public var titleRight: [Span]
    /// `DetailLayout.factLines` lines, one more when the task's history spans a gap.
    public var facts: [[Span]]
    public var attempts: PaneModel
    public var previewTitle: String
    public var previewLines: [String]
    /// Attempts of the task (sizes the attempts box).
    public var attemptCount: Int

    public init(
        title: [Span], titleRight: [Span], facts: [[Span]], attempts: PaneModel, previewTitle: String, previewLines: [String],
        attemptCount: Int
    ) {
        self.attemptCount = attemptCount
        self.title = title
        self.titleRight = titleRight
        self.facts = facts
        self.attempts = attempts
        self.previewTitle = previewTitle
        self.previewLines = previewLines
    }
}
