/// One screen column: a grapheme, the columns it spans, and its style.
///
/// Invariant kept by `Grid`: a wide grapheme (`width == 2`) is always followed by a continuation
/// cell (`width == 0`, character " ") with the same style; a continuation cell never stands alone.
public struct Cell: Hashable, Sendable {
    public var character: Character
    /// 1 for ordinary cells, 2 for the lead of a wide grapheme, 0 for its continuation.
    public var width: UInt8
    public var style: Style

    public init(_ character: Character = " ", width: UInt8 = 1, style: Style = .plain) {
        self.character = character
        self.width = width
        self.style = style
    }

    /// An empty cell in the default style.
    public static let blank = Cell()

    /// True for the second column of a wide grapheme.
    public var isContinuation: Bool { width == 0 }
}
