/// An in-memory screen: `width × height` cells that views draw into, diffed by `GridDiff`.
///
/// Drawing clips to the grid and keeps the wide-character invariant of `Cell`: overwriting half of a
/// wide grapheme blanks the other half, and a wide grapheme that would straddle the clip edge is
/// replaced by a space. Control characters are drawn as spaces so text never moves the cursor, and
/// clusters of uncertain width as their safe stand-in (`TextWidth.rendering(of:)`), so every row
/// takes exactly `width` columns on the terminal too. With ASCII-only glyphs (a terminal whose
/// locale cannot encode UTF-8) every non-ASCII grapheme becomes ASCII, one character per column.
public struct Grid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// The glyph set of the terminal this grid is for; widgets draw with it.
    public var glyphs: Glyphs
    /// How style roles look on this terminal (colour or `NO_COLOR`); widgets draw with it.
    public var theme: Theme
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, glyphs: Glyphs = .unicode, theme: Theme = .color) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.glyphs = glyphs
        self.theme = theme
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public init(size: Size, glyphs: Glyphs = .unicode) {
        self.init(width: size.width, height: size.height, glyphs: glyphs)
    }

    /// Blanks every cell in place, keeping the storage: a grid drawn every frame is not allocated (and
    /// its pages faulted in) anew each time.
    public mutating func blank() {
        cells.withUnsafeMutableBufferPointer { $0.update(repeating: .blank) }
    }

    public var size: Size { Size(width: width, height: height) }
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Draws `text` starting at column `x` of row `y`, using at most `maxWidth` columns.
    /// - Returns: the columns consumed (from `x`), so callers can continue a line.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var col = x
        if TextWidth.isPrintableASCII(text) {
            // Nearly every text on screen: a cell a byte, without grapheme breaking (a fifth of a frame).
            for byte in text.utf8 {
                if col >= limit { break }
                if col >= 0 { setCell(Cell(scalar: Unicode.Scalar(byte), width: 1, style: style), at: col, y) }
                col += 1
            }
            return max(0, col - x)
        }
        if !glyphs.isASCIIOnly, TextWidth.isOneClusterPerScalar(text) {
            // Box drawing, blocks, arrows, punctuation, Latin letters: every scalar is its own grapheme
            // of known width, drawn as it is (borders, sparklines, countdown bars).
            for scalar in text.unicodeScalars {
                if col >= limit { break }
                let w = TextWidth.widthOfAccepted(scalar)
                guard place(Cell(scalar: scalar, width: UInt8(w), style: style), at: &col, y, limit: limit) else { break }
            }
            return max(0, col - x)
        }
        return putClusters(text, x: x, y: y, style: style, limit: limit)
    }

    /// The general path of `put`: grapheme by grapheme, each drawn as `TextWidth.rendering(of:)` says.
    mutating func putClusters(_ text: String, x: Int, y: Int, style: Style, limit: Int) -> Int {
        var col = x
        for ch in text {
            if col >= limit { break }
            var glyph = ch
            var w = 1
            if let ascii = ch.asciiValue {
                if ascii < 0x20 || ascii == 0x7F { glyph = " " }
            } else {
                (glyph, w) = TextWidth.rendering(of: ch)
                if w == 0 { continue }
                if glyphs.isASCIIOnly && !glyph.isASCII {
                    // Same columns as in a UTF-8 terminal, so layouts do not move.
                    let base = glyph.unicodeScalars.first.map(Character.init) ?? " "
                    let stand = base.isASCII && base != " " ? base : Glyphs.asciiStandIn(for: glyph)
                    for _ in 0..<w where col < limit {
                        if col >= 0 { setCell(Cell(stand, width: 1, style: style), at: col, y) }
                        col += 1
                    }
                    continue
                }
            }
            guard place(Cell(glyph, width: UInt8(w), style: style), at: &col, y, limit: limit) else { break }
        }
        return max(0, col - x)
    }

    /// Puts a grapheme of width 1 or 2 at `col` and moves `col` past it; false when it does not fit
    /// before `limit` (a space takes its first column instead). A wide grapheme cut by the left edge
    /// leaves a space in column 0.
    private mutating func place(_ cell: Cell, at col: inout Int, _ y: Int, limit: Int) -> Bool {
        let w = Int(cell.width)
        if col + w > limit {
            if col >= 0 { setCell(Cell(" ", width: 1, style: cell.style), at: col, y) }
            col += 1
            return false
        }
        if col >= 0 {
            setCell(cell, at: col, y)
        } else if w == 2 && col == -1 {
            setCell(Cell(" ", width: 1, style: cell.style), at: 0, y)
        }
        col += w
        return true
    }

    /// Draws `text` cut to `maxWidth` columns with an ellipsis when it does not fit.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, truncatingTo maxWidth: Int) -> Int {
        put(TextWidth.truncate(text, width: maxWidth, ellipsis: glyphs.ellipsis), x: x, y: y, style: style, maxWidth: maxWidth)
    }

    /// Draws spans one after another on row `y`, within `maxWidth` columns.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        var used = 0
        for span in spans {
            let remaining = maxWidth.map { $0 - used }
            if let remaining, remaining <= 0 { break }
            used += put(span.text, x: x + used, y: y, style: span.style, maxWidth: remaining)
        }
        return used
    }

    /// Fills `rect` (clipped to the grid) with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        let cell = Cell(character, width: 1, style: style)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { setCell(cell, at: x, y) }
        }
    }

    /// Resets `rect` to blank cells in the default style.
    public mutating func clear(_ rect: Rect) { fill(rect) }

    /// Rewrites the style of every cell in `rect`, e.g. `{ $0.reverse() }` to highlight a row.
    /// The halves of a wide grapheme cut by the rect edge are restyled together.
    public mutating func updateStyle(in rect: Rect, _ transform: (Style) -> Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            var x = r.x
            if self[x, y].isContinuation && x > 0 { x -= 1 }
            var end = r.maxX
            if end < width && self[end, y].isContinuation { end += 1 }
            while x < end {
                self[x, y].style = transform(self[x, y].style)
                x += 1
            }
        }
    }

    /// Writes one cell, blanking the other half of any wide grapheme it overlaps.
    private mutating func setCell(_ cell: Cell, at x: Int, _ y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let base = y * width
        let old = cells[base + x]
        if old.isContinuation && x > 0 {
            cells[base + x - 1] = Cell(" ", width: 1, style: cells[base + x - 1].style)
        }
        if old.width == 2 && x + 1 < width {
            cells[base + x + 1] = Cell(" ", width: 1, style: old.style)
        }
        if cell.width == 2 {
            guard x + 1 < width else {
                cells[base + x] = Cell(" ", width: 1, style: cell.style)
                return
            }
            let next = cells[base + x + 1]
            if next.width == 2 && x + 2 < width {
                cells[base + x + 2] = Cell(" ", width: 1, style: next.style)
            }
            cells[base + x] = cell
            cells[base + x + 1] = Cell(" ", width: 0, style: cell.style)
        } else {
            cells[base + x] = cell
        }
    }
}
