/// One table row: cells in column order, a base style, and whether the user marked it.
public struct TableRow: Hashable, Sendable {
    public var cells: [TableCell]
    public var style: Style
    public var isMarked: Bool

    public init(_ cells: [TableCell], style: Style = .plain, isMarked: Bool = false) {
        self.cells = cells
        self.style = style
        self.isMarked = isMarked
    }

    /// A row of plain strings, all in the row's style.
    public init(texts: [String], style: Style = .plain, isMarked: Bool = false) {
        self.init(texts.map { TableCell($0) }, style: style, isMarked: isMarked)
    }
}
