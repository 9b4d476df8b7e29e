import Monitor

/// The rows of one list with their sort values, ordered lazily: only the window on screen is sorted.
///
/// A storm can put tens of thousands of tasks in one pane; a frame shows thirty. `window` finds the
/// selected row's rank in one pass and then partially orders just the visible ranks (quickselect), so
/// a frame costs O(n) rather than O(n log n). Ties are broken by id, so the order is total.
public struct RankedList: Sendable {
    public struct Row: Sendable {
        public var value: SortValue
        /// The row's id as a key: task rows come straight from the model's `TaskKey` indexes, and only
        /// the rows on screen are turned back into id strings.
        public var key: TaskKey
        public var id: String { key.string }

        public init(value: SortValue, id: String) {
            self.init(value: value, key: TaskKey(id))
        }

        public init(value: SortValue, key: TaskKey) {
            self.value = value
            self.key = key
        }
    }

    public var rows: [Row]
    public var descending: Bool

    public init(rows: [Row], descending: Bool) {
        self.rows = rows
        self.descending = descending
    }

    public var count: Int { rows.count }

    /// Lists up to this size are simply sorted whole.
    static let fullSortLimit = 512

    @inline(__always)
    func precedes(_ a: Row, _ b: Row) -> Bool {
        if a.value != b.value { return descending ? b.value < a.value : a.value < b.value }
        return a.key < b.key
    }

    /// Every id in order (for key handling, which runs far less often than frames).
    public func orderedIDs() -> [String] {
        rows.sorted(by: precedes).map(\.id)
    }

    /// The rank of `id`, or nil when it is not in the list.
    public func rank(of id: String) -> Int? {
        let key = TaskKey(id)
        guard let row = rows.first(where: { $0.key == key }) else { return nil }
        var rank = 0
        for other in rows where precedes(other, row) { rank += 1 }
        return rank
    }

    /// The rows on screen for `cursor` in `bodyRows` lines.
    public func window(cursor: PaneCursor, bodyRows: Int) -> ListWindow {
        let total = rows.count
        guard total > 0 else { return ListWindow(total: 0, start: 0, ids: [], selected: nil) }
        let selected = cursor.selectedID.flatMap { rank(of: $0) } ?? min(max(0, cursor.lastIndex), total - 1)
        let span = ListWindow.span(total: total, selected: selected, offset: cursor.offset, bodyRows: bodyRows)
        let ids = ranks(span.start..<(span.start + span.count))
        return ListWindow(total: total, start: span.start, ids: ids, selected: selected)
    }

    /// The ids at ranks `range`, in order.
    public func ranks(_ range: Range<Int>) -> [String] {
        guard !range.isEmpty else { return [] }
        if rows.count <= RankedList.fullSortLimit {
            return Array(rows.sorted(by: precedes)[range]).map(\.id)
        }
        if range.upperBound <= RankedList.topLimit { return topRanks(range) }
        var work = rows
        select(&work, k: range.upperBound - 1, lo: 0, hi: work.count - 1)
        if range.lowerBound > 0 { select(&work, k: range.lowerBound, lo: 0, hi: range.upperBound - 1) }
        return work[range].sorted(by: precedes).map(\.id)
    }

    /// Windows ending within this rank are found with a small sorted buffer instead of quickselect.
    static let topLimit = 256

    /// The ids at `range` from one pass that keeps the best `range.upperBound` rows seen so far;
    /// most rows lose to the buffer's worst in a single comparison.
    private func topRanks(_ range: Range<Int>) -> [String] {
        let k = range.upperBound
        var best: [Row] = []
        best.reserveCapacity(k + 1)
        for row in rows {
            if best.count == k {
                guard let worst = best.last, precedes(row, worst) else { continue }
                best.removeLast()
            }
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if precedes(best[mid], row) { low = mid + 1 } else { high = mid }
            }
            best.insert(row, at: low)
        }
        return best[min(range.lowerBound, best.count)..<min(k, best.count)].map(\.id)
    }

    /// Quickselect: afterwards `work[k]` holds the row of rank k, smaller ranks before it.
    private func select(_ work: inout [Row], k: Int, lo: Int, hi: Int) {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Median of three as the pivot, moved to `hi`.
            if precedes(work[mid], work[lo]) { work.swapAt(mid, lo) }
            if precedes(work[hi], work[lo]) { work.swapAt(hi, lo) }
            if precedes(work[mid], work[hi]) { work.swapAt(mid, hi) }
            let pivot = work[hi]
            var store = lo
            for i in lo..<hi where precedes(work[i], pivot) {
                work.swapAt(i, store)
                store += 1
            }
            work.swapAt(store, hi)
            if store == k { return }
            if k < store { hi = store - 1 } else { lo = store + 1 }
        }
    }
}
