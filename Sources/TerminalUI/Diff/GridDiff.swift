/// What changed between two grids, as the minimal runs a backend must write.
///
/// A run is a maximal stretch of changed cells on one row with one style. A wide grapheme is never
/// split: a changed continuation cell pulls in its lead. When there is no previous grid, or the sizes
/// differ (a resize), every cell is emitted and `isFullRedraw` tells the backend to clear first.
public struct GridDiff: Hashable, Sendable {
    public var runs: [ChangedRun]
    public var isFullRedraw: Bool

    public init(from previous: Grid?, to next: Grid) {
        let full = previous.map { $0.width != next.width || $0.height != next.height } ?? true
        self.isFullRedraw = full
        self.runs = GridDiff.runs(previous: full ? nil : previous, next: next)
    }

    /// True when nothing needs writing.
    public var isEmpty: Bool { runs.isEmpty && !isFullRedraw }

    /// Total cells covered by the runs.
    public var changedCells: Int { runs.reduce(0) { $0 + $1.width } }

    private static func runs(previous: Grid?, next: Grid) -> [ChangedRun] {
        var runs: [ChangedRun] = []
        let width = next.width
        let nextCells = next.cells
        let prevCells = previous?.cells
        for y in 0..<next.height {
            let base = y * width
            @inline(__always) func changed(_ x: Int) -> Bool {
                guard let prevCells else { return true }
                return prevCells[base + x] != nextCells[base + x]
            }
            var x = 0
            while x < width {
                guard changed(x) else { x += 1; continue }
                var start = x
                if nextCells[base + start].isContinuation && start > 0 { start -= 1 }
                let style = nextCells[base + start].style
                var text = ""
                var end = start
                while end < width {
                    let cell = nextCells[base + end]
                    if cell.isContinuation && end > start { end += 1; continue }
                    if end > start && (!changed(end) || cell.style != style) { break }
                    if cell.isContinuation { text.append(" ") } else { cell.append(to: &text) }
                    end += 1
                }
                runs.append(ChangedRun(row: y, x: start, text: text, width: end - start, style: style))
                x = end
            }
        }
        return runs
    }
}
