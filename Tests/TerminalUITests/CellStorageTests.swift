import Testing
import TerminalUI

/// A cell stores its grapheme as at most two scalars (plain data, no reference counts); every grapheme
/// the grid draws comes back unchanged, and a longer cluster handed to `Cell` directly becomes U+FFFD.
@Suite struct CellStorageTests {
    @Test func graphemesOfOneOrTwoScalarsComeBackAsTheyWere() {
        for character: Character in [" ", "a", "~", "é", "e\u{301}", "─", "▁", "数", "🙂", "\u{FFFD}", "a\u{20DD}"] {
            let cell = Cell(character, width: 1, style: .plain.bold())
            #expect(cell.character == character, "\(character.unicodeScalars.map(\.value))")
            var text = "x"
            cell.append(to: &text)
            #expect(text == "x" + String(character))
            #expect(cell == Cell(character, width: 1, style: .plain.bold()))
        }
        #expect(Cell("e\u{301}") != Cell("e"))
        #expect(Cell("e\u{301}") != Cell("e\u{300}"))
        var cell = Cell("a")
        cell.character = "数"
        #expect(cell.character == "数" && cell == Cell("数"))
    }

    @Test func aLongerClusterIsStoredAsTheReplacementCharacter() {
        let family: Character = "👨\u{200D}👩\u{200D}👧"
        #expect(Cell(family).character == TextWidth.replacement)
        #expect(Cell("e\u{301}\u{302}").character == TextWidth.replacement)
    }

    @Test func theGridNeverStoresMoreThanItDraws() {
        // Whatever the grid is given, each cell holds what `TextWidth.rendering(of:)` draws, so the
        // two-scalar storage loses nothing the screen shows.
        let text = "ok e\u{301} 👨\u{200D}👩\u{200D}👧 🇫🇷 ❤\u{FE0F} 数"
        var grid = Grid(width: 30, height: 1)
        grid.put(text, x: 0, y: 0)
        var expected = ""
        for character in text {
            let (glyph, width) = TextWidth.rendering(of: character)
            if width > 0 { expected.append(glyph) }
        }
        #expect(grid.line(0) == expected)
    }
}
