/// Where the selection of one list is: the selected row's id, and the first row shown.
///
/// Selection is by id, so it stays on the same task while rows reorder under it (countdowns, new
/// events). `lastIndex` is where that id was last seen: when the task leaves the list (it ran, it was
/// evicted), the selection falls back to the row now at that position instead of jumping to the top.
public struct PaneCursor: Sendable, Hashable {
    public var selectedID: String?
    public var lastIndex: Int
    /// First body row shown; kept so the window moves as little as possible.
    public var offset: Int

    public init(selectedID: String? = nil, lastIndex: Int = 0, offset: Int = 0) {
        self.selectedID = selectedID
        self.lastIndex = lastIndex
        self.offset = offset
    }
}
