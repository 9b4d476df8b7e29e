import Testing
@testable import TerminalUI

@Suite("Table")
struct TableTests {
    private func table(rows count: Int, selected: Int?, offset: Int = 0, marked: Set<Int> = []) -> Table {
        Table(
            columns: [TableColumn("TASK", width: .fill(1)), TableColumn("TRY", width: .fixed(4), alignment: .right)],
            rows: (0..<count).map { TableRow(["task.\($0)", "\($0 % 5)/5"], isMarked: marked.contains($0)) },
            selected: selected, offset: offset
        )
    }

    @Test func headerRowsMarkerAndHighlight() {
        var grid = Grid(width: 16, height: 4)
        grid.render(table(rows: 3, selected: 1, marked: [2]), in: grid.area)
        #expect(grid.plainText() == """
         TASK        TRY
         task.0      0/5
        ▸task.1      1/5
        ●task.2      2/5
        """)
        #expect(grid[0, 2].style.isReverse && grid[15, 2].style.isReverse)
        #expect(!grid[0, 1].style.isReverse)
        #expect(grid[1, 0].style.isBold)
    }

    @Test func scrollingKeepsSelectionVisibleAndShowsMoreHint() {
        var grid = Grid(width: 16, height: 5)
        let t = table(rows: 10, selected: 6, offset: 0)
        #expect(t.visibleRange(height: 5) == 4..<7)
        grid.render(t, in: grid.area)
        #expect(grid.plainText() == """
         TASK        TRY
         task.4      4/5
         task.5      0/5
        ▸task.6      1/5
         …3 more
        """)
        #expect(grid.styleSummary() == "styles: bold, dim, reverse")
    }

    @Test func scrollOffsetMovesAsLittleAsPossible() {
        #expect(Table.scrollOffset(selected: 5, offset: 3, visibleRows: 4, rowCount: 20) == 3)
        #expect(Table.scrollOffset(selected: 2, offset: 3, visibleRows: 4, rowCount: 20) == 2)
        #expect(Table.scrollOffset(selected: 9, offset: 3, visibleRows: 4, rowCount: 20) == 6)
        #expect(Table.scrollOffset(selected: nil, offset: 30, visibleRows: 4, rowCount: 20) == 16)
        #expect(Table.scrollOffset(selected: 50, offset: 0, visibleRows: 4, rowCount: 20) == 16)
        #expect(Table.scrollOffset(selected: 3, offset: 2, visibleRows: 10, rowCount: 5) == 0)
    }

    @Test(arguments: 0..<30)
    func selectionAlwaysVisible(selected: Int) {
        let t = table(rows: 30, selected: selected, offset: 12)
        for height in 3...12 {
            let range = t.visibleRange(height: height)
            #expect(range.contains(selected), "height \(height): \(range)")
            #expect(range.count == height - 2 || range.upperBound == 30)
        }
    }

    @Test func lastPageUsesTheHintLineForARow() {
        var grid = Grid(width: 16, height: 4)
        grid.render(table(rows: 5, selected: 4), in: grid.area)
        #expect(grid.plainText() == """
         TASK        TRY
         task.2      2/5
         task.3      3/5
        ▸task.4      4/5
        """)
    }

    @Test func cellStylesAndTruncation() {
        let t = Table(
            columns: [TableColumn("NEXT", width: .fixed(4), alignment: .right), TableColumn("ERROR", width: .fill(1))],
            rows: [TableRow(["0:02", TableCell("HTTPError 429 Too Many", style: Style(fg: .red))])]
        )
        var grid = Grid(width: 16, height: 2)
        grid.render(t, in: grid.area)
        #expect(grid.plainText() == " NEXT ERROR\n 0:02 HTTPError…")
        #expect(grid[6, 1].style.foreground == .red)
    }
}
