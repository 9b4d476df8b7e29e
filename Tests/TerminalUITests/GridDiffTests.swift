import Testing
@testable import TerminalUI

@Suite("GridDiff")
struct GridDiffTests {
    @Test func identicalGridsProduceNoRuns() {
        var grid = Grid(width: 20, height: 5)
        grid.put("hello", x: 1, y: 1)
        let diff = GridDiff(from: grid, to: grid)
        #expect(diff.runs.isEmpty && !diff.isFullRedraw && diff.isEmpty)
    }

    @Test func onlyChangedRunsAreReported() {
        var a = Grid(width: 20, height: 3)
        a.put("retry 0:05 task", x: 0, y: 1)
        var b = a
        b.put("0:04", x: 6, y: 1)
        b.put("!", x: 19, y: 2, style: Style(bold: true))
        let diff = GridDiff(from: a, to: b)
        #expect(diff.runs == [
            ChangedRun(row: 1, x: 9, text: "4", width: 1, style: .plain),
            ChangedRun(row: 2, x: 19, text: "!", width: 1, style: Style(bold: true)),
        ])
    }

    @Test func runsSplitByStyleAndGaps() {
        let a = Grid(width: 10, height: 1)
        var b = a
        b.put("ab", x: 0, y: 0, style: Style(fg: .red))
        b.put("cd", x: 2, y: 0)
        b.put("x", x: 6, y: 0)
        let diff = GridDiff(from: a, to: b)
        #expect(diff.runs.map(\.text) == ["ab", "cd", "x"])
        #expect(diff.runs.map(\.x) == [0, 2, 6])
        #expect(diff.changedCells == 5)
    }

    @Test func styleOnlyChangeIsARun() {
        var a = Grid(width: 10, height: 1)
        a.put("row", x: 0, y: 0)
        var b = a
        b.updateStyle(in: b.area) { $0.reverse() }
        #expect(GridDiff(from: a, to: b).runs == [ChangedRun(row: 0, x: 0, text: "row       ", width: 10, style: Style(reverse: true))])
    }

    @Test func wideCharactersAreNeverSplit() {
        var a = Grid(width: 10, height: 1)
        a.put("ab任务", x: 0, y: 0)
        var b = a
        b.put("文", x: 4, y: 0)
        #expect(GridDiff(from: a, to: b).runs == [ChangedRun(row: 0, x: 4, text: "文", width: 2, style: .plain)])
        var c = a
        c.put("z", x: 3, y: 0)
        #expect(GridDiff(from: a, to: c).runs == [ChangedRun(row: 0, x: 2, text: " z", width: 2, style: .plain)])
    }

    @Test func resizeOrFirstFrameIsAFullRedraw() {
        var big = Grid(width: 8, height: 2)
        big.put("abc", x: 0, y: 0)
        big.put("d", x: 4, y: 0, style: Style(bold: true))
        let first = GridDiff(from: nil, to: big)
        #expect(first.isFullRedraw)
        #expect(first.changedCells == 16)
        #expect(first.runs.map(\.text) == ["abc ", "d", "   ", "        "])
        let resized = GridDiff(from: Grid(width: 9, height: 2), to: big)
        #expect(resized.isFullRedraw && resized.changedCells == 16)
    }

    @Test func applyingRunsReproducesTheNextGrid() {
        var a = Grid(width: 30, height: 4)
        a.put("┌ Workers ─ 任务 ─┐", x: 0, y: 0)
        a.put("● celery@api-1", x: 1, y: 1, style: Style(fg: .green))
        var b = a
        b.put("○ celery@api-1 offline", x: 1, y: 1, style: Style(dim: true))
        b.put("中文x", x: 10, y: 0)
        b.updateStyle(in: b.area.row(2)) { $0.reverse() }
        var replay = a
        for run in GridDiff(from: a, to: b).runs {
            replay.put(run.text, x: run.x, y: run.row, style: run.style)
        }
        #expect(replay == b)
    }

    @Test func fullFrameBuildAndDiffAt200x60() {
        let clock = ContinuousClock()
        var previous = Grid(width: 200, height: 60)
        var next = previous
        var diff = GridDiff(from: nil, to: next)
        let elapsed = clock.measure {
            for frame in 0..<10 {
                next = Grid(width: 200, height: 60)
                let columns = next.area.columns([.percent(55), .fill(1)])
                for (i, column) in columns.enumerated() {
                    next.render(Box(title: "Pane \(i) frame \(frame)", isFocused: i == 0), in: column)
                    let rows = (0..<80).map { TableRow(["tasks.fetch_api_data.\($0 + frame)", "\($0 % 5)/5", "HTTPError 429 任务"]) }
                    let table = Table(
                        columns: [TableColumn("TASK", width: .fill(2)), TableColumn("TRY", width: .fixed(5)), TableColumn("ERROR", width: .fill(1))],
                        rows: rows, selected: frame
                    )
                    next.render(table, in: Box().inner(of: column))
                }
                diff = GridDiff(from: previous, to: next)
                previous = next
            }
        }
        #expect(!diff.isFullRedraw)
        #expect(!diff.runs.isEmpty)
        var replay = Grid(width: 200, height: 60)
        for run in GridDiff(from: nil, to: next).runs { replay.put(run.text, x: run.x, y: run.row, style: run.style) }
        #expect(replay == next)
        print("TerminalUI: 10 frames of a 200x60 grid built and diffed in \(elapsed) (\(elapsed / 10) per frame)")
    }
}
