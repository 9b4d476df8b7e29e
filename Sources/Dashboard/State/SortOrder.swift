/// Which sortable column of a pane orders its rows, and in which direction.
///
/// `column` indexes `PaneID.sortColumns` (column specs). Ties are always broken by the row id, so the order is total
/// and rows never swap places between frames without a reason.
public struct SortOrder: Sendable, Hashable {
    public var column: Int
    public var descending: Bool

    public init(column: Int, descending: Bool) {
        self.column = column
        self.descending = descending
    }
}
