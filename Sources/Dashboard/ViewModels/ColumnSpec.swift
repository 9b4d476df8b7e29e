import TerminalUI

/// One column of a pane: its header title, width, alignment and what it means, in one place.
///
/// The same values order a pane's rows (`PaneID.sortColumns`), title its header (with the sort
/// arrow on the column the pane is sorted by) and fill the `?` legend, so none of them can drift.
public struct ColumnSpec: Hashable, Sendable {
    public var title: String
    public var width: Constraint
    public var alignment: Alignment
    /// One line for the legend: what the column shows and where the value comes from.
    public var meaning: String

    public init(_ title: String, width: Constraint, alignment: Alignment = .left, meaning: String) {
        self.title = title
        self.width = width
        self.alignment = alignment
        self.meaning = meaning
    }

    /// The same column with another width (TASK columns size themselves to the names shown).
    public func width(_ width: Constraint) -> ColumnSpec {
        var copy = self
        copy.width = width
        return copy
    }

    /// The header column the table draws.
    public var column: TableColumn { TableColumn(title, width: width, alignment: alignment) }

    /// Specs match by title: a pane never has two columns with one title.
    public static func == (lhs: ColumnSpec, rhs: ColumnSpec) -> Bool { lhs.title == rhs.title }
    public func hash(into hasher: inout Hasher) { hasher.combine(title) }
}
