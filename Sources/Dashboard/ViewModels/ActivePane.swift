import Monitor
import TerminalUI

/// The view model of the Active pane: attempts running now, longest running first.
public struct ActivePane: Sendable {
    public static let running = ColumnSpec("RUNNING", width: .fixed(7), alignment: .right,
        meaning: "time since the attempt started (task-started)")
    public static let task = ColumnSpec("TASK", width: .fixed(8), meaning: "task name (the shared module prefix is dropped when narrow)")
    public static let worker = ColumnSpec("WORKER", width: .fixed(12), meaning: "worker running the attempt")
    public static let attempt = ColumnSpec("ATTEMPT", width: .fixed(7), alignment: .right,
        meaning: "attempt number (Celery's retries + 1); /max once it retried or retries automatically")
    public static let args = ColumnSpec("ARGS", width: .fill(3), meaning: "positional and keyword arguments as task-received reported them")

    public static let sortColumns = [running, task, worker, attempt]
    public static let allColumns = [running, task, worker, attempt, args]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let monitor = inputs.monitor
        let now = inputs.now
        let nameWidth = inputs.taskNameWidth(window.ids, fullWidth: width >= 95)
        var columns = [ActivePane.running, ActivePane.task.width(.fixed(nameWidth))]
        let showWorker = width >= 60
        if showWorker { columns.append(ActivePane.worker) }
        columns += [ActivePane.attempt, ActivePane.args]
        model.columns = columns.map(\.column)
        model.rows = window.ids.compactMap { id in
            guard let task = monitor.tasks[id] else { return nil }
            let started = task.attempts.last?.started ?? now
            var cells: [TableCell] = [
                TableCell(TimeText.elapsed(since: started, now: now), style: inputs.style(.strong)),
                TableCell(inputs.displayName(task.name, width: nameWidth)),
            ]
            if showWorker { cells.append(TableCell(task.worker ?? inputs.glyphs.dash.description)) }
            cells.append(TableCell(inputs.attemptText(task)))
            var args = task.args ?? ""
            if let kwargs = task.kwargs, kwargs != "{}" { args += " " + kwargs }
            cells.append(TableCell(args, style: inputs.style(.muted)))
            return TableRow(cells, isMarked: inputs.marks.contains(id))
        }
        model.emptyText = inputs.isFiltered ? "No running task matches the filter." : "No task is running."
        if let first = firstID.flatMap({ monitor.tasks[$0] }) {
            let started = first.attempts.last?.started ?? now
            model.summary = [
                Span("longest \(TimeText.elapsed(since: started, now: now)) ", style: inputs.style(.strong)),
                Span("\(first.name ?? "?") on \(first.worker ?? "?")"),
            ]
        } else {
            model.summary = [Span("none running", style: inputs.style(.muted))]
        }
    }
}
