import Monitor
import TerminalUI

/// The view model of a task's attempt history (the task detail's list).
public struct AttemptsPane: Sendable {
    public static let number = ColumnSpec("#", width: .fixed(2), alignment: .right, meaning: "attempt number (Celery's retries + 1)")
    public static let worker = ColumnSpec("WORKER", width: .fixed(14), meaning: "worker that received the attempt")
    public static let received = ColumnSpec("RECEIVED", width: .fixed(12), meaning: "task-received: the worker took it off the queue")
    public static let started = ColumnSpec("STARTED", width: .fixed(12), meaning: "task-started, or the countdown to a waiting attempt's ETA")
    public static let ran = ColumnSpec("RAN", width: .fixed(6), alignment: .right, meaning: "runtime, or time running so far; a bar while it waits")
    public static let outcome = ColumnSpec("OUTCOME", width: .fixed(8), meaning: "how the attempt ended, or RUNNING / WAITING")
    public static let exception = ColumnSpec("EXCEPTION", width: .fill(1), meaning: "what the attempt raised")
    public static let backoff = ColumnSpec("BACKOFF", width: .fixed(7), alignment: .right, meaning: "wait between this attempt's retry and the next attempt")

    public static let sortColumns = [number]
    public static let allColumns = [number, worker, received, started, ran, outcome, exception, backoff]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        guard case .taskDetail(let id) = inputs.owner, let task = inputs.monitor.tasks[id] else { return }
        let now = inputs.now
        let glyphs = inputs.glyphs
        let dropped = task.droppedAttempts > 0 ? " (\(task.droppedAttempts) middle attempts not kept)" : ""
        model.title = "Attempts \(task.attempts.count)\(dropped)"
        let before = task.attemptsBeforeWatching
        if before > 0 {
            // Never invented: nothing about them was seen, only the retries count of a later message.
            model.title += before == 1 ? " (attempt 1 before retrytop started)" : " (attempts 1\(glyphs.dash == "-" ? "-" : "–")\(before) before retrytop started)"
        }
        let journaled = task.attempts.reduce(0) { $0 + ($1.fromJournal ? 1 : 0) }
        if journaled > 0 {
            // Recorded before this process started (a recorder, or an earlier run): numbers shown dim.
            model.title += journaled == task.attempts.count ? " (all from the journal)" : " (\(journaled) from the journal, dim #)"
        }
        model.rightTitle = "t traceback of the selected attempt"
        let wide = width >= 100
        var columns = AttemptsPane.allColumns
        if !wide { columns.remove(at: 2) }
        model.columns = columns.map(\.column)
        let dash = glyphs.dash.description
        let shown = window.ids.compactMap { number in task.attempts.first { String($0.number) == number } }
        model.rows = shown.map { attempt in
            var started: TableCell
            var ran: TableCell
            var outcome: TableCell
            if let value = attempt.started {
                started = TableCell(TimeText.clockMillis(value))
                if attempt.outcome == nil {
                    ran = TableCell(TimeText.elapsed(since: value, now: now), style: inputs.style(.strong))
                } else {
                    ran = TableCell(attempt.runtime.map(TimeText.span) ?? dash)
                }
            } else if attempt.outcome == nil, let next = attempt.eta ?? task.nextAttemptAt {
                started = TableCell(next > now ? "next in \(TimeText.countdown(to: next, now: now))" : inputs.lateText(dueAt: next), style: inputs.style(next > now ? .infoStrong : .warningStrong))
                let start = task.backoffStartedAt ?? next
                let fraction = next > start ? (now - start) / (next - start) : 1
                ran = TableCell(ProgressBar(fraction: fraction).render(width: 6, glyphs: glyphs), style: inputs.style(.info))
            } else {
                started = TableCell(dash)
                ran = TableCell(dash)
            }
            if let value = attempt.outcome {
                outcome = TableCell(value.rawValue, style: inputs.style(of: value))
            } else if attempt.started != nil {
                outcome = TableCell("RUNNING", style: inputs.style(.infoStrong))
            } else {
                outcome = TableCell("WAITING", style: inputs.style(.info))
            }
            var cells: [TableCell] = [
                TableCell(String(attempt.number), style: inputs.style(attempt.fromJournal ? .muted : .plain)),
                TableCell(attempt.worker ?? dash),
                attempt.received.map { TableCell(TimeText.clockMillis($0)) }
                    ?? (attempt.beginningUnseen ? TableCell("not seen", style: inputs.style(.muted)) : TableCell(dash)),
                started, ran, outcome,
                attempt.outcome == .revoked && attempt.started == nil && !attempt.beginningUnseen
                    // A revoked id's message discarded on arrival (docs/celery-wire.md, rule 6).
                    ? TableCell("discarded by the revoke, never ran", style: inputs.style(of: .revoked))
                    : TableCell(ExceptionText.short(attempt.exception), style: inputs.style(attempt.outcome == .failure ? .failure : .warning)),
                TableCell(attempt.backoffWait.map(TimeText.span) ?? ""),
            ]
            if !wide { cells.remove(at: 2) }
            return TableRow(cells)
        }
        model.emptyText = "No attempt seen yet (only task-sent so far)."
    }
}
