import Monitor
import TerminalUI

/// The view model of the Retrying pane: tasks waiting in backoff, soonest next attempt first.
public struct RetryingPane: Sendable {
    public static let nextIn = ColumnSpec("NEXT IN", width: .fixed(7), alignment: .right,
        meaning: "time until the next attempt's ETA; \"late 6s\" when the ETA passed and the attempt has not started")
    public static let backoff = ColumnSpec("", width: .fixed(5),
        meaning: "bar: how much of the backoff wait has passed")
    public static let task = ColumnSpec("TASK", width: .fixed(8), meaning: "task name (the shared module prefix is dropped when narrow)")
    public static let attempt = ColumnSpec("ATTEMPT", width: .fixed(7), alignment: .right,
        meaning: "number of the next attempt (Celery's retries + 1); /max once it retried or retries automatically")
    public static let lastError = ColumnSpec("LAST ERROR", width: .fill(4), meaning: "the exception the last attempt raised")
    public static let worker = ColumnSpec("WORKER", width: .fixed(14), meaning: "worker that ran the last attempt")
    public static let id = ColumnSpec("ID", width: .fixed(8), meaning: "task id (first 8 characters)")

    /// Columns `s` cycles through.
    public static let sortColumns = [nextIn, task, attempt, lastError, worker]
    /// Every column, widest layout first, for the legend.
    public static let allColumns = [nextIn, backoff, task, attempt, lastError, worker, id]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let monitor = inputs.monitor
        let now = inputs.now
        let glyphs = inputs.glyphs
        let wide = width >= 95
        let nameWidth = inputs.taskNameWidth(window.ids, fullWidth: wide)
        var columns = [RetryingPane.nextIn, RetryingPane.backoff, RetryingPane.task.width(.fixed(nameWidth)), RetryingPane.attempt, RetryingPane.lastError]
        if wide { columns += [RetryingPane.worker, RetryingPane.id] }
        model.columns = columns.map(\.column)
        model.rows = window.ids.compactMap { id in
            guard let task = monitor.tasks[id] else { return nil }
            var cells: [TableCell] = []
            var rowStyle = Style.plain
            if let next = task.nextAttemptAt {
                let remaining = next - now
                if remaining <= 0 {
                    cells.append(TableCell(inputs.lateText(dueAt: next), style: inputs.style(.warningStrong)))
                } else {
                    cells.append(TableCell(TimeText.countdown(to: next, now: now), style: inputs.style(.strong)))
                }
                let start = task.backoffStartedAt ?? next
                let total = next - start
                let fraction = total > 0 ? (now - start) / total : 1
                cells.append(TableCell(ProgressBar(fraction: fraction).render(width: 5, glyphs: glyphs), style: inputs.style(.info)))
            } else {
                cells.append("?")
                cells.append("")
            }
            cells.append(TableCell(inputs.displayName(task.name, width: nameWidth)))
            let last = inputs.isLastAttempt(task)
            cells.append(TableCell(inputs.attemptText(task), style: last ? inputs.style(.failureStrong) : nil))
            if task.revokeSentAt != nil {
                cells.append(TableCell("revoke sent, waiting for task-revoked", style: inputs.style(.revoked)))
                rowStyle = inputs.style(.muted)
            } else {
                cells.append(TableCell(ExceptionText.brief(task.lastException), style: inputs.style(.warning)))
            }
            if wide {
                cells.append(TableCell(task.worker ?? glyphs.dash.description))
                cells.append(TableCell(String(task.id.prefix(8)), style: inputs.style(.muted)))
            }
            return TableRow(cells, style: rowStyle, isMarked: inputs.marks.contains(id))
        }
        model.emptyText = inputs.isFiltered ? "No retrying task matches the filter." : "No task is waiting in backoff."
        if let first = firstID.flatMap({ monitor.tasks[$0] }), let next = first.nextAttemptAt {
            model.summary = [
                Span("next \(TimeText.countdown(to: next, now: now)) ", style: inputs.style(.strong)),
                Span("\(first.name ?? "?") attempt \(inputs.attemptText(first)) ", style: .plain),
                Span(ExceptionText.brief(first.lastException), style: inputs.style(.warning)),
            ]
        } else {
            model.summary = [Span("none waiting", style: inputs.style(.muted))]
        }
    }
}
