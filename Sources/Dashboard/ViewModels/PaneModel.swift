import TerminalUI

/// What one list pane shows: its box titles, columns, the rows of the visible window, the selection.
///
/// Built by `AppState.paneModel(_:in:)` from the state at `now`; drawn by `PaneView`. Only the window
/// of rows on screen is built, never the whole list.
public struct PaneModel: Sendable, Equatable {
    public var pane: PaneID
    public var title: String
    public var rightTitle: String
    public var columns: [TableColumn]
    public var rows: [TableRow]
    /// Index into `rows` of the selected row, when it is in the window.
    public var selectedRow: Int?
    /// Rows below the window.
    public var below: Int
    public var isFocused: Bool
    /// Shown instead of rows when the list is empty.
    public var emptyText: String
    /// The one-line summary drawn when the pane is collapsed (compact layout).
    public var summary: [Span]

    public init(
        pane: PaneID, title: String, rightTitle: String = "", columns: [TableColumn], rows: [TableRow],
        selectedRow: Int?, below: Int, isFocused: Bool, emptyText: String, summary: [Span] = []
    ) {
        self.pane = pane
        self.title = title
        self.rightTitle = rightTitle
        self.columns = columns
        self.rows = rows
        self.selectedRow = selectedRow
        self.below = below
        self.isFocused = isFocused
        self.emptyText = emptyText
        self.summary = summary
    }
}
