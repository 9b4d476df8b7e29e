/// One screen column: a grapheme, the columns it spans, and its style.
///
/// Invariant kept by `Grid`: a wide grapheme (`width == 2`) is always followed by a continuation
/// cell (`width == 0`, character " ") with the same style; a continuation cell never stands alone.
///
/// Storage: the grapheme as at most two scalars (a base and one combining mark, the most the grid ever
/// draws: see `TextWidth.rendering(of:)`), so a cell is plain data. Copying a grid, writing a cell and
/// diffing two grids then touch no reference counts (they were a fifth of a frame's time with a
/// `Character` stored here). A longer cluster given to `init` is stored as U+FFFD, the grid's own
/// stand-in for clusters of uncertain width.
public struct Cell: Hashable, Sendable {
    private var lead: Unicode.Scalar
    /// The second scalar's value; 0 when the grapheme is one scalar.
    private var mark: UInt32
    /// 1 for ordinary cells, 2 for the lead of a wide grapheme, 0 for its continuation.
    public var width: UInt8
    public var style: Style

    public init(_ character: Character = " ", width: UInt8 = 1, style: Style = .plain) {
        (lead, mark) = Cell.scalars(of: character)
        self.width = width
        self.style = style
    }

    /// A cell of one scalar (the grid's fast paths).
    init(scalar: Unicode.Scalar, width: UInt8, style: Style) {
        lead = scalar
        mark = 0
        self.width = width
        self.style = style
    }

    /// The grapheme drawn in this column.
    public var character: Character {
        get {
            guard mark != 0, let second = Unicode.Scalar(mark) else { return Character(lead) }
            var text = String(lead)
            text.unicodeScalars.append(second)
            return Character(text)
        }
        set { (lead, mark) = Cell.scalars(of: newValue) }
    }

    /// Appends the grapheme to `text` without building a `Character` for a one-scalar cell.
    public func append(to text: inout String) {
        text.unicodeScalars.append(lead)
        if mark != 0, let second = Unicode.Scalar(mark) { text.unicodeScalars.append(second) }
    }

    /// An empty cell in the default style.
    public static let blank = Cell()

    /// True for the second column of a wide grapheme.
    public var isContinuation: Bool { width == 0 }

    private static func scalars(of character: Character) -> (Unicode.Scalar, UInt32) {
        var scalars = character.unicodeScalars.makeIterator()
        let first = scalars.next() ?? " "
        guard let second = scalars.next() else { return (first, 0) }
        guard scalars.next() == nil else { return (TextWidth.replacement.unicodeScalars.first ?? "?", 0) }
        return (first, second.value)
    }
}
