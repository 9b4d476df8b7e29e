import Testing
@testable import TerminalUI
import TestSupport

@Suite("TestTerminal and Key")
struct TestTerminalTests {
    @Test func recordsFramesAndReplaysKeys() {
        let terminal = TestTerminal(width: 20, height: 3, keys: [.char("j"), .down])
        var grid = terminal.makeGrid()
        grid.put("hello", x: 0, y: 0)
        terminal.draw(grid)
        grid.put("J", x: 0, y: 0)
        terminal.draw(grid)
        #expect(terminal.frames.count == 2)
        #expect(terminal.diffs[0].isFullRedraw)
        #expect(terminal.diffs[1].runs == [ChangedRun(row: 0, x: 0, text: "J", width: 1, style: .plain)])
        #expect(terminal.readKey(timeoutMs: 50) == .char("j"))
        #expect(terminal.readKey(timeoutMs: 50) == .down)
        #expect(terminal.readKey(timeoutMs: 50) == nil)
        terminal.restore()
        terminal.restore()
        #expect(terminal.restoreCount == 2)
    }

    @Test func resizeQueuesKeyAndForcesFullRedraw() {
        let terminal = TestTerminal(width: 20, height: 3, glyphs: .ascii)
        terminal.draw(terminal.makeGrid())
        terminal.resize(to: Size(width: 30, height: 5))
        #expect(terminal.readKey(timeoutMs: 0) == .resize)
        let grid = terminal.makeGrid()
        #expect(grid.size == Size(width: 30, height: 5))
        #expect(grid.glyphs == .ascii)
        terminal.draw(grid)
        terminal.draw(grid)
        #expect(terminal.diffs[1].isFullRedraw)
        #expect(terminal.diffs[2].isEmpty)
    }

    @Test func keyNames() {
        #expect([Key.char("j"), .char(" "), .pageDown, .escape, .ctrl("c"), .f(1), .backTab].map(\.description)
            == ["j", "space", "PgDn", "Esc", "C-c", "F1", "S-Tab"])
    }

    @Test func glyphSetsAreSingleColumn() {
        for glyphs in [Glyphs.unicode, Glyphs.ascii] {
            let all: [Character] = [glyphs.topLeft, glyphs.topRight, glyphs.bottomLeft, glyphs.bottomRight,
                                    glyphs.horizontal, glyphs.vertical, glyphs.teeLeft, glyphs.teeRight,
                                    glyphs.pointer, glyphs.back, glyphs.bullet, glyphs.hollowBullet, glyphs.mark,
                                    glyphs.warning, glyphs.arrowUp, glyphs.arrowDown, glyphs.times, glyphs.dash,
                                    glyphs.progressLeftCap, glyphs.progressRightCap] + glyphs.sparkline + glyphs.progress
            #expect(all.allSatisfy { TextWidth.of($0) == 1 })
            #expect(glyphs.ellipsis.displayWidth == 1)
        }
    }
}
