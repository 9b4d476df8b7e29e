import Monitor
import TerminalUI

/// The view model of the exceptions view (`e`): retries and failures grouped by fingerprint.
public struct ExceptionsPane: Sendable {
    public static let count = ColumnSpec("COUNT", width: .fixed(6), alignment: .right, meaning: "retries plus final failures that raised it")
    public static let retries = ColumnSpec("RETRY", width: .fixed(6), alignment: .right, meaning: "task-retried events that raised it")
    public static let failures = ColumnSpec("FAIL", width: .fixed(5), alignment: .right, meaning: "task-failed events (final failures) that raised it")
    public static let perMinute = ColumnSpec("/MIN", width: .fixed(5), alignment: .right, meaning: "retries plus failures in the last minute")
    public static let first = ColumnSpec("FIRST", width: .fixed(8), meaning: "when retrytop first saw it raised (UTC)")
    public static let last = ColumnSpec("LAST", width: .fixed(8), meaning: "when it was last raised (UTC)")
    /// Minutes the sparkline covers, one cell each.
    static let historyMinutes = 10
    public static let history = ColumnSpec("LAST 10m", width: .fixed(historyMinutes), meaning: "retries plus failures per minute over 10 minutes, one scale for all rows")
    public static let exception = ColumnSpec("EXCEPTION", width: .fill(3), meaning: "a sample; ids and numbers are masked to group")
    public static let tasks = ColumnSpec("TASKS", width: .fill(1), meaning: "task names that raised it, most often first")
    public static let workers = ColumnSpec("WORKERS", width: .fill(1), meaning: "workers it was raised on, most often first")

    public static let sortColumns = [count, perMinute, last, exception, first]
    public static let allColumns = [count, retries, failures, perMinute, first, last, history, exception, tasks, workers]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        let monitor = inputs.monitor
        let now = inputs.now
        model.title = "Exceptions \(NumberText.grouped(window.total))"
        model.rightTitle = "grouped by type and message, ids and numbers masked; Enter lists the tasks"
        let wide = width >= 110
        var columns = ExceptionsPane.allColumns.map { $0 == ExceptionsPane.tasks ? $0.width(wide ? .fill(2) : .fill(1)) : $0 }
        // Narrow: the sparkline and first seen stay; last seen, the failure split and workers go.
        let narrowDrops = [ExceptionsPane.failures, ExceptionsPane.last, ExceptionsPane.workers]
        if !wide { columns.removeAll { narrowDrops.contains($0) } }
        model.columns = columns.map(\.column)
        let sparkWidth = ExceptionsPane.historyMinutes
        let histories = Dictionary(uniqueKeysWithValues: window.ids.map { fingerprint in
            (fingerprint, monitor.exceptionGroups[fingerprint].map { ExceptionsPane.raisedPerMinute($0, buckets: sparkWidth, now: now) } ?? [])
        })
        // One scale for all rows, as in the rates pane.
        let scale = max(1, histories.values.flatMap { $0 }.max() ?? 1)
        model.rows = window.ids.compactMap { fingerprint in
            guard let group = monitor.exceptionGroups[fingerprint] else { return nil }
            let perMinute = group.rates.total(.retried, window: 60, endingAt: now) + group.rates.total(.failed, window: 60, endingAt: now)
            var cells: [TableCell] = [
                TableCell(NumberText.grouped(group.total), style: inputs.style(.strong)),
                TableCell(NumberText.grouped(group.retries), style: group.retries > 0 ? inputs.style(.warning) : nil),
                TableCell(NumberText.grouped(group.failures), style: group.failures > 0 ? inputs.style(.failure) : nil),
                TableCell(NumberText.grouped(perMinute)),
                TableCell(TimeText.clock(group.firstSeen)),
                TableCell(TimeText.clock(group.lastSeen)),
                TableCell(Sparkline(values: histories[fingerprint] ?? [], maximum: scale).render(width: sparkWidth, glyphs: inputs.glyphs),
                          style: inputs.style(group.failures > 0 ? .failure : .warning)),
                TableCell(ExceptionText.short(group.sample), style: inputs.style(group.failures > 0 ? .failure : .warning)),
                TableCell(ExceptionsPane.mostOften(group.names, times: inputs.glyphs.times)),
                TableCell(ExceptionsPane.mostOften(group.workers, times: inputs.glyphs.times)),
            ]
            if !wide { cells = zip(ExceptionsPane.allColumns, cells).filter { !narrowDrops.contains($0.0) }.map(\.1) }
            return TableRow(cells)
        }
        model.emptyText = "No exception seen yet."
    }

    /// Retries plus failures per minute over the last `buckets` minutes.
    static func raisedPerMinute(_ group: ExceptionGroup, buckets: Int, now: Double) -> [Double] {
        let retried = group.rates.history(.retried, buckets: buckets, bucketSeconds: 60, endingAt: now)
        let failed = group.rates.history(.failed, buckets: buckets, bucketSeconds: 60, endingAt: now)
        return zip(retried, failed).map { Double($0) + Double($1) }
    }

    /// `a ×12, b ×3, +2`: the two most frequent keys and how many more.
    static func mostOften(_ counts: [String: Int], times: Character) -> String {
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var text = sorted.prefix(2).map { "\($0.key) \(times)\($0.value)" }.joined(separator: ", ")
        if sorted.count > 2 { text += ", +\(sorted.count - 2)" }
        return text
    }
}
