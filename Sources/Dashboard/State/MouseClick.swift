/// The last press on a row, to recognise the second press of a double click (at the tick's `now`).
public struct MouseClick: Sendable, Equatable {
    public var pane: PaneID
    public var rowID: String
    public var at: Double

    public init(pane: PaneID, rowID: String, at: Double) {
        self.pane = pane
        self.rowID = rowID
        self.at = at
    }
}
