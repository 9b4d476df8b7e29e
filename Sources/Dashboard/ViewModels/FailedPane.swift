import Monitor
import TerminalUI

/// The view model of the "Failed for good" pane: final failures, newest first.
public struct FailedPane: Sendable {
    public static let failedAt = ColumnSpec("FAILED AT", width: .fixed(9), meaning: "time of task-failed (UTC)")
    public static let task = ColumnSpec("TASK", width: .fixed(8), meaning: "task name (the shared module prefix is dropped when narrow)")
    public static let attempts = ColumnSpec("ATTEMPT", width: .fixed(7), alignment: .right,
        meaning: "number of the final attempt (Celery's retries + 1); /max from the task's retry policy")
    public static let error = ColumnSpec("ERROR", width: .fill(3), meaning: "the exception of the final attempt; requeued copies are named")

    public static let sortColumns = [failedAt, task, attempts, error]
    public static let allColumns = [failedAt, task, attempts, error]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let monitor = inputs.monitor
        let nameWidth = inputs.taskNameWidth(window.ids, fullWidth: width >= 80)
        model.columns = [FailedPane.failedAt, FailedPane.task.width(.fixed(nameWidth)), FailedPane.attempts, FailedPane.error].map(\.column)
        model.rows = window.ids.compactMap { id in
            guard let task = monitor.tasks[id] else { return nil }
            let at = task.attempts.last?.ended ?? task.lastUpdate
            var error = ExceptionText.brief(task.lastException)
            if let copy = task.requeuedAs { error = "requeued as \(copy.prefix(8))\(inputs.glyphs.ellipsis) " + error }
            return TableRow([
                TableCell(TimeText.clock(at)),
                // A failure read from a result backend without result_extended has no name: say why.
                task.name == nil && task.sources == TaskSources([.resultBackend])
                    ? TableCell("(no name: needs result_extended)", style: inputs.style(.muted))
                    : TableCell(inputs.displayName(task.name, width: nameWidth)),
                TableCell(inputs.attemptText(task), style: inputs.style(.failure)),
                TableCell(error, style: inputs.style(.failure)),
            ], isMarked: inputs.marks.contains(id))
        }
        model.emptyText = inputs.isFiltered ? "No failed task matches the filter." : "Nothing failed for good."
        if let first = firstID.flatMap({ monitor.tasks[$0] }) {
            model.summary = [
                Span("newest \(TimeText.clock(first.attempts.last?.ended ?? first.lastUpdate)) ", style: inputs.style(.strong)),
                Span("\(first.name ?? "?") "),
                Span(ExceptionText.brief(first.lastException), style: inputs.style(.failure)),
            ]
        } else {
            model.summary = [Span("none", style: inputs.style(.muted))]
        }
    }
}
