import Monitor
import TerminalUI

/// The view model of the exceptions view (`e`): retries and failures grouped by fingerprint.
public struct ExceptionsPane: Sendable {
    public static let count = ColumnSpec("COUNT", width: .fixed(6), alignment: .right, meaning: "retries plus final failures that raised it")
    public static let retries = ColumnSpec("RETRY", width: .fixed(6), alignment: .right, meaning: "task-retried events that raised it")
    public static let failures = ColumnSpec("FAIL", width: .fixed(5), alignment: .right, meaning: "task-failed events (final failures) that raised it")
    public static let perMinute = ColumnSpec("/MIN", width: .fixed(5), alignment: .right, meaning: "retries plus failures in the last minute")
    public static let last = ColumnSpec("LAST", width: .fixed(8), meaning: "when it was last raised (UTC)")
    public static let exception = ColumnSpec("EXCEPTION", width: .fill(3), meaning: "a sample; ids and numbers are masked to group")
    public static let tasks = ColumnSpec("TASKS", width: .fill(1), meaning: "task names that raised it, most often first")

    public static let sortColumns = [count, perMinute, last, exception]
    public static let allColumns = [count, retries, failures, perMinute, last, exception, tasks]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        let monitor = inputs.monitor
        let now = inputs.now
        model.title = "Exceptions \(TimeText.count(window.total))"
        model.rightTitle = "grouped by type and message, ids and numbers masked; Enter lists the tasks"
        let wide = width >= 110
        var columns = [
            ExceptionsPane.count, ExceptionsPane.retries, ExceptionsPane.failures, ExceptionsPane.perMinute, ExceptionsPane.last,
            ExceptionsPane.exception, ExceptionsPane.tasks.width(wide ? .fill(2) : .fill(1)),
        ]
        if !wide { columns.remove(at: 2) }
        model.columns = columns.map(\.column)
        model.rows = window.ids.compactMap { fingerprint in
            guard let group = monitor.exceptionGroups[fingerprint] else { return nil }
            let perMinute = group.rates.total(.retried, window: 60, endingAt: now) + group.rates.total(.failed, window: 60, endingAt: now)
            let names = group.names.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            var tasks = names.prefix(2).map { "\($0.key) \(inputs.glyphs.times)\($0.value)" }.joined(separator: ", ")
            if names.count > 2 { tasks += ", +\(names.count - 2)" }
            var cells: [TableCell] = [
                TableCell(TimeText.count(group.total), style: inputs.style(.strong)),
                TableCell(TimeText.count(group.retries), style: group.retries > 0 ? inputs.style(.warning) : nil),
                TableCell(TimeText.count(group.failures), style: group.failures > 0 ? inputs.style(.failure) : nil),
                TableCell(TimeText.count(perMinute)),
                TableCell(TimeText.clock(group.lastSeen)),
                TableCell(ExceptionText.short(group.sample), style: inputs.style(group.failures > 0 ? .failure : .warning)),
                TableCell(tasks),
            ]
            if !wide { cells.remove(at: 2) }
            return TableRow(cells)
        }
        model.emptyText = "No exception seen yet."
    }
}
