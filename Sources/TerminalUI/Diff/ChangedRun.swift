/// Consecutive changed cells on one row sharing one style: what a backend writes in one call.
public struct ChangedRun: Hashable, Sendable {
    public var row: Int
    public var x: Int
    /// The graphemes to write; a wide grapheme stands for its two columns.
    public var text: String
    /// Columns covered, including the continuation halves of wide graphemes.
    public var width: Int
    public var style: Style

    public init(row: Int, x: Int, text: String, width: Int, style: Style) {
        self.row = row
        self.x = x
        self.text = text
        self.width = width
        self.style = style
    }
}
