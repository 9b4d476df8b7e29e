import Monitor
import TerminalUI

/// The view model of the Workers pane: every worker seen, its load, heartbeat and outcomes.
public struct WorkersPane: Sendable {
    public static let worker = ColumnSpec("WORKER", width: .fill(1), meaning: "hostname; ● online, ○ offline (no heartbeat for two intervals)")
    public static let active = ColumnSpec("ACTIVE", width: .fixed(6), alignment: .right, meaning: "tasks running on it, from its last heartbeat")
    public static let processed = ColumnSpec("DONE", width: .fixed(7), alignment: .right, meaning: "tasks it finished since it started, from its heartbeat")
    public static let heartbeat = ColumnSpec("HEARTBEAT", width: .fixed(13), meaning: "age of its last heartbeat, or when it went offline")
    public static let succeeded = ColumnSpec("OK", width: .fixed(5), alignment: .right, meaning: "task-succeeded seen from it")
    public static let retried = ColumnSpec("RETRY", width: .fixed(5), alignment: .right, meaning: "task-retried seen from it")
    public static let failed = ColumnSpec("FAIL", width: .fixed(4), alignment: .right, meaning: "task-failed seen from it")

    public static let sortColumns = [worker, active, processed, heartbeat]
    public static let allColumns = [worker, active, processed, heartbeat, succeeded, retried, failed]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        let monitor = inputs.monitor
        let now = inputs.now
        let glyphs = inputs.glyphs
        let showCounts = width >= 62
        var columns = [WorkersPane.worker, WorkersPane.active, WorkersPane.processed, WorkersPane.heartbeat]
        if showCounts { columns += [WorkersPane.succeeded, WorkersPane.retried, WorkersPane.failed] }
        model.columns = columns.map(\.column)
        let online = monitor.onlineWorkers(at: now)
        model.title = "Workers \(online)/\(monitor.workers.count) online"
        model.rows = window.ids.compactMap { host in
            guard let worker = monitor.workers[host] else { return nil }
            let isOnline = worker.isOnline(at: now)
            let dot = isOnline ? glyphs.bullet : glyphs.hollowBullet
            var heartbeat: String
            if isOnline {
                heartbeat = "\(TimeText.age(now - (worker.lastHeartbeat ?? now))) ago"
            } else {
                let since = worker.offlineAt ?? worker.lastHeartbeat.map { $0 + worker.freq * 2 }
                heartbeat = since.map { "off \(TimeText.clock($0))" } ?? "offline"
            }
            var cells: [TableCell] = [
                TableCell("\(dot) \(host)", style: isOnline ? nil : inputs.style(.muted)),
                TableCell(TimeText.count(isOnline ? worker.active : 0)),
                TableCell(TimeText.count(worker.processed)),
                TableCell(heartbeat, style: isOnline ? nil : inputs.style(.failure)),
            ]
            if showCounts {
                cells.append(TableCell(TimeText.count(worker.succeeded), style: inputs.style(.success)))
                cells.append(TableCell(TimeText.count(worker.retried), style: worker.retried > 0 ? inputs.style(.warning) : nil))
                cells.append(TableCell(TimeText.count(worker.failed), style: worker.failed > 0 ? inputs.style(.failure) : nil))
            }
            return TableRow(cells, style: isOnline ? .plain : inputs.style(.muted))
        }
        model.emptyText = "No worker seen yet (workers need -E or worker_send_task_events)."
        let offline = monitor.workers.values.filter { !$0.isOnline(at: now) }.map(\.hostname).sorted()
        model.summary = offline.first.map { [Span("\($0) offline", style: inputs.style(.failure))] }
            ?? [Span("all online", style: inputs.style(.success))]
    }
}
