import Monitor
import TerminalUI

/// The view model of one exception group's task list (`e`, Enter).
public struct GroupTasksPane: Sendable {
    public static let updated = ColumnSpec("UPDATED", width: .fixed(8), meaning: "time of the task's last event (UTC)")
    public static let id = ColumnSpec("ID", width: .fixed(8), meaning: "task id (whole when the terminal is wide)")
    public static let task = ColumnSpec("TASK", width: .fixed(8), meaning: "task name (the shared module prefix is dropped when narrow)")
    public static let state = ColumnSpec("STATE", width: .fixed(8), meaning: "the task's Celery state now")
    public static let attempts = ColumnSpec("ATTEMPT", width: .fixed(7), alignment: .right, meaning: "attempt number now (Celery's retries + 1); /max once it retried")
    public static let worker = ColumnSpec("WORKER", width: .fixed(14), meaning: "worker of the last attempt")
    public static let raised = ColumnSpec("RAISED IT", width: .fill(3),
        meaning: "the attempts of this task that raised this group's exception, as raised; \"then …\" when a later attempt raised another")

    public static let sortColumns = [updated, task, state, attempts]
    public static let allColumns = [updated, id, task, state, attempts, worker, raised]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        let monitor = inputs.monitor
        if case .groupTasks(let fingerprint) = inputs.owner {
            let sample = monitor.exceptionGroups[fingerprint].map { ExceptionText.brief($0.sample) } ?? fingerprint
            model.title = "Tasks that raised \(sample)"
            model.rightTitle = inputs.isFiltered
                ? "filtered \(window.total) of \(inputs.unfilteredCount)" : "\(NumberText.grouped(window.total)) recent"
        }
        let wide = width >= 110
        let nameWidth = inputs.taskNameWidth(window.ids, fullWidth: wide)
        var columns = [
            GroupTasksPane.updated, GroupTasksPane.id.width(.fixed(width >= 150 ? 36 : 8)), GroupTasksPane.task.width(.fixed(nameWidth)),
            GroupTasksPane.state, GroupTasksPane.attempts,
        ]
        if wide { columns.append(GroupTasksPane.worker) }
        columns.append(GroupTasksPane.raised)
        let fingerprint: String? = if case .groupTasks(let key) = inputs.owner { key } else { nil }
        model.columns = columns.map(\.column)
        model.rows = window.ids.compactMap { id in
            guard let task = monitor.tasks[id] else { return nil }
            var cells: [TableCell] = [
                TableCell(TimeText.clock(task.lastUpdate)),
                TableCell(width >= 150 ? id : String(id.prefix(8)), style: inputs.style(.muted)),
                TableCell(inputs.displayName(task.name, width: nameWidth)),
                TableCell(task.state.rawValue, style: inputs.style(of: task.state)),
                TableCell(inputs.attemptText(task)),
            ]
            if wide { cells.append(TableCell(task.worker ?? inputs.glyphs.dash.description)) }
            cells.append(GroupTasksPane.raisedCell(task, fingerprint: fingerprint, inputs: inputs))
            return TableRow(cells, isMarked: inputs.marks.contains(id))
        }
        model.emptyText = inputs.isFiltered ? "No task of this group matches the filter." : "No task of this group is still tracked."
    }

    /// What this task raised of the group: `#2,#3 HTTPError: 429 …`, and `then Timeout…` when its last
    /// error is another exception (the list holds every task that raised the group, not only those
    /// whose last error it is).
    static func raisedCell(_ task: TaskRecord, fingerprint: String?, inputs: PaneInputs) -> TableCell {
        let matching = task.attempts.filter { attempt in
            attempt.exception.map { ExceptionFingerprint.of($0) == fingerprint } ?? false
        }
        guard let last = matching.last?.exception else {
            // Its attempts were dropped (bounded history): the group's own sample stands in.
            let sample = fingerprint.flatMap { inputs.monitor.exceptionGroups[$0]?.sample }
            return TableCell("attempt not kept: " + ExceptionText.brief(sample), style: inputs.style(.muted))
        }
        var text = matching.map { "#\($0.number)" }.joined(separator: ",") + " " + ExceptionText.brief(last)
        if let latest = task.lastException, ExceptionFingerprint.of(latest) != fingerprint {
            text += "; then " + ExceptionText.brief(latest)
        }
        return TableCell(text, style: inputs.style(.warning))
    }
}
