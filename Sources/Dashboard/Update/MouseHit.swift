/// What a screen cell is, for a click: a list and, when the cell is on one of its rows, that row.
public struct MouseHit: Sendable, Equatable {
    public var pane: PaneID
    /// The row's id and absolute rank in the list; nil on the border, the column header or empty space.
    public var rowID: String?
    public var rank: Int?

    public init(pane: PaneID, rowID: String? = nil, rank: Int? = nil) {
        self.pane = pane
        self.rowID = rowID
        self.rank = rank
    }
}
