import Testing
@testable import TerminalUI

@Suite("Grid")
struct GridTests {
    @Test func putWritesTextAndReturnsColumnsUsed() {
        var grid = Grid(width: 10, height: 2)
        let used = grid.put("hello", x: 2, y: 1, style: Style(bold: true))
        #expect(used == 5)
        #expect(grid.plainText() == "\n  hello")
        #expect(grid[2, 1].style.isBold)
        #expect(grid[7, 1].style == .plain)
    }

    @Test func putClipsAtGridEdgeAndMaxWidth() {
        var grid = Grid(width: 6, height: 3)
        grid.put("abcdefghij", x: 2, y: 0)
        grid.put("abcdefghij", x: 0, y: 1, maxWidth: 3)
        grid.put("abcdefghij", x: -3, y: 2)
        grid.put("ignored", x: 0, y: 5)
        #expect(grid.plainText() == "  abcd\nabc\ndefghi")
    }

    @Test func wideCharactersTakeTwoColumns() {
        var grid = Grid(width: 8, height: 1)
        let used = grid.put("任务ok", x: 0, y: 0)
        #expect(used == 6)
        #expect(grid[0, 0].width == 2)
        #expect(grid[1, 0].isContinuation)
        #expect(grid[4, 0].character == "o")
        #expect(grid.plainText() == "任务ok")
    }

    @Test func wideCharacterThatDoesNotFitBecomesASpace() {
        var grid = Grid(width: 8, height: 1)
        grid.put("ab任务", x: 0, y: 0, maxWidth: 5)
        #expect(grid.plainText() == "ab任")
        #expect(grid[4, 0].character == " " && grid[4, 0].width == 1)
        grid.put("xyz", x: 5, y: 0)
        grid.put("中", x: 7, y: 0)
        #expect(grid.plainText() == "ab任 xy")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 6, height: 1)
        grid.put("任务", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        #expect(grid.plainText() == " x务")
        #expect(!grid[0, 0].isContinuation && grid[0, 0].width == 1)
        grid.put("y", x: 2, y: 0)
        #expect(grid.plainText() == " xy")
        #expect(grid[3, 0].width == 1)
    }

    @Test func combiningMarksAndControlCharacters() {
        var grid = Grid(width: 10, height: 1)
        let used = grid.put("e\u{301}a\tb\nc", x: 0, y: 0)
        #expect(used == 6)
        #expect(grid.plainText() == "e\u{301}a b c")
    }

    @Test func displayWidthOfScalarsAndStrings() {
        #expect("abc".displayWidth == 3)
        #expect("任务".displayWidth == 4)
        #expect("e\u{301}".displayWidth == 1)
        #expect("🔥".displayWidth == 2)
        #expect("❤️".displayWidth == 1)  // drawn as ❤ alone: terminals disagree on VS16 (TextWidthTests)
        #expect("┌─┐▸●⚠…".displayWidth == 7)
        #expect("한국어".displayWidth == 6)
        #expect("ｆｕｌｌ".displayWidth == 8)
        #expect(TextWidth.of(Unicode.Scalar(0x0301)!) == 0)
    }

    @Test func truncateUsesEllipsisAndRespectsWideCharacters() {
        #expect(TextWidth.truncate("tasks.fetch_api_data", width: 10) == "tasks.fet…")
        #expect(TextWidth.truncate("short", width: 10) == "short")
        #expect(TextWidth.truncate("任务任务", width: 6) == "任务…")
        #expect(TextWidth.truncate("任务任务", width: 4) == "任…")
        #expect(TextWidth.truncate("abc", width: 0) == "")
        #expect(TextWidth.truncate("abcdef", width: 3, ellipsis: "~") == "ab~")
        #expect(TextWidth.fit("ab", width: 5, alignment: .right) == "   ab")
        #expect(TextWidth.fit("ab", width: 5, alignment: .center) == " ab  ")
        #expect(TextWidth.fit("abcdefg", width: 5) == "abcd…")
    }

    @Test func putTruncatingUsesTheGridsEllipsis() {
        var grid = Grid(width: 10, height: 2, glyphs: .ascii)
        grid.put("retrying forever", x: 0, y: 0, truncatingTo: 8)
        grid.glyphs = .unicode
        grid.put("retrying forever", x: 0, y: 1, truncatingTo: 8)
        #expect(grid.plainText() == "retryin~\nretryin…")
    }

    @Test func plainTextTrimsTrailingSpacesOnly() {
        var grid = Grid(width: 8, height: 3)
        grid.put("  a  b  ", x: 0, y: 0)
        grid.put("x", x: 7, y: 2)
        #expect(grid.plainText() == "  a  b\n\n       x")
    }

    @Test func styleSummaryListsDistinctNonDefaultStyles() {
        var grid = Grid(width: 10, height: 1)
        #expect(grid.styleSummary() == "styles: none")
        grid.put("a", x: 0, y: 0, style: Style(reverse: true))
        grid.put("b", x: 1, y: 0, style: Style(bold: true))
        grid.put("c", x: 2, y: 0, style: Style(fg: .red, bold: true))
        grid.put("d", x: 3, y: 0, style: Style(bold: true))
        grid.put("e", x: 4, y: 0, style: Style.plain.bg(.blue).underline())
        #expect(grid.styleSummary() == "styles: bold, bold+fg=red, reverse, underline+bg=blue")
    }

    @Test func styleRunsSayWhereEachStyleIsSoAMovedHighlightDiffers() {
        var grid = Grid(width: 10, height: 3)
        #expect(grid.styleRuns() == "styles: none")
        grid.put("abc", x: 2, y: 1, style: Style(reverse: true))
        grid.put("d", x: 5, y: 1, style: Style(fg: .red, bold: true))
        #expect(grid.styleRuns() == "styles by row:\n  2: 3-5 reverse, 6-6 bold+fg=red")
        var moved = Grid(width: 10, height: 3)
        moved.put("abc", x: 2, y: 2, style: Style(reverse: true))
        moved.put("d", x: 5, y: 2, style: Style(fg: .red, bold: true))
        // The same styles on another row: the summary cannot tell them apart, the runs can.
        #expect(moved.styleSummary() == grid.styleSummary())
        #expect(moved.styleRuns() != grid.styleRuns())
    }

    @Test func fillAndUpdateStyle() {
        var grid = Grid(width: 5, height: 2)
        grid.put("任x", x: 0, y: 0)
        grid.updateStyle(in: Rect(x: 1, y: 0, width: 1, height: 1)) { $0.reverse() }
        #expect(grid[0, 0].style.isReverse && grid[1, 0].style.isReverse)
        #expect(!grid[2, 0].style.isReverse)
        grid.fill(Rect(x: 0, y: 1, width: 10, height: 5), with: "-", style: Style(dim: true))
        #expect(grid.plainText() == "任x\n-----")
        grid.clear(grid.area)
        #expect(grid.plainText() == "\n")
        #expect(grid.styleSummary() == "styles: none")
    }

    @Test func spansContinueOnOneLine() {
        var grid = Grid(width: 12, height: 1)
        let used = grid.put([Span("key", style: Style(bold: true)), " label", " more"], x: 1, y: 0, maxWidth: 9)
        #expect(used == 9)
        #expect(grid.plainText() == " key label")
    }
}
