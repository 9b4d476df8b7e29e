/// The rows of a list that fit on screen: which ids, from which rank, and which one is selected.
public struct ListWindow: Sendable, Equatable {
    /// Rows in the whole (filtered) list.
    public var total: Int
    /// Rank of the first id in `ids`.
    public var start: Int
    public var ids: [String]
    /// Absolute rank of the selected row, nil when the list is empty.
    public var selected: Int?

    public init(total: Int, start: Int, ids: [String], selected: Int?) {
        self.total = total
        self.start = start
        self.ids = ids
        self.selected = selected
    }

    /// Rows below the window (for the `…N more` hint).
    public var below: Int { max(0, total - start - ids.count) }

    /// The selected row's id, when shown.
    public var selectedID: String? {
        guard let selected, selected >= start, selected < start + ids.count else { return nil }
        return ids[selected - start]
    }

    /// The first row and row count shown in `bodyRows` lines when `total` rows exist: a full page
    /// when everything fits, else one line is kept for the `…N more` hint except on the last page.
    /// The window moves from `offset` as little as possible to keep `selected` visible.
    public static func span(total: Int, selected: Int?, offset: Int, bodyRows: Int) -> (start: Int, count: Int) {
        guard bodyRows > 0 else { return (0, 0) }
        guard total > bodyRows else { return (0, total) }
        let window = max(1, bodyRows - 1)
        var start = min(max(0, offset), total - window)
        if let selected {
            if selected < start { start = selected } else if selected >= start + window { start = selected - window + 1 }
        }
        if total - start <= bodyRows { return (total - bodyRows, bodyRows) }
        return (start, window)
    }
}
