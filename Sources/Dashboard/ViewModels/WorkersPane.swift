import Monitor
import TerminalUI

/// The view model of the Workers pane: every worker seen, its load, heartbeat and outcomes.
public struct WorkersPane: Sendable {
    public static let worker = ColumnSpec("WORKER", width: .fill(1), meaning: "hostname; ● online, ○ offline (no heartbeat for two intervals)")
    public static let active = ColumnSpec("ACTIVE", width: .fixed(6), alignment: .right, meaning: "tasks running on it, from its last heartbeat")
    public static let processed = ColumnSpec("DONE", width: .fixed(7), alignment: .right, meaning: "tasks it finished since it started, from its heartbeat")
    public static let heartbeat = ColumnSpec("HEARTBEAT", width: .fixed(13), meaning: "age of its last heartbeat, or when it went offline")
    public static let late = ColumnSpec("LATE", width: .fixed(9),
        meaning: "attempts it received past their ETA, not started, and the latest: they wait for a free pool slot (saturated) or a rate_limit")
    public static let succeeded = ColumnSpec("OK", width: .fixed(5), alignment: .right, meaning: "task-succeeded seen from it")
    public static let retried = ColumnSpec("RETRY", width: .fixed(5), alignment: .right, meaning: "task-retried seen from it")
    public static let failed = ColumnSpec("FAIL", width: .fixed(4), alignment: .right, meaning: "task-failed seen from it")

    public static let sortColumns = [worker, active, processed, heartbeat]
    public static let allColumns = [worker, active, processed, heartbeat, late, succeeded, retried, failed]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, width: Int) {
        let monitor = inputs.monitor
        let now = inputs.now
        let glyphs = inputs.glyphs
        let showCounts = width >= 62
        let late = WorkersPane.lateAttempts(inputs.heldAttempts, now: now)
        // LATE takes room from the names: shown when a worker is late, or when the pane is wide enough anyway.
        let showLate = !late.isEmpty || width >= 70
        var columns = [WorkersPane.worker, WorkersPane.active, WorkersPane.processed, WorkersPane.heartbeat]
        if showLate { columns.append(WorkersPane.late) }
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
                TableCell(NumberText.grouped(isOnline ? worker.active : 0)),
                TableCell(NumberText.grouped(worker.processed)),
                TableCell(heartbeat, style: isOnline ? nil : inputs.style(.failure)),
            ]
            if showLate {
                cells.append(late[host].map { TableCell("\($0.count) \(TimeText.age($0.latest))", style: inputs.style(.warningStrong)) } ?? TableCell(""))
            }
            if showCounts {
                cells.append(TableCell(NumberText.grouped(worker.succeeded), style: inputs.style(.success)))
                cells.append(TableCell(NumberText.grouped(worker.retried), style: worker.retried > 0 ? inputs.style(.warning) : nil))
                cells.append(TableCell(NumberText.grouped(worker.failed), style: worker.failed > 0 ? inputs.style(.failure) : nil))
            }
            return TableRow(cells, style: isOnline ? .plain : inputs.style(.muted))
        }
        model.emptyText = "No worker seen yet (workers need -E or worker_send_task_events)."
        let offline = monitor.workers.values.filter { !$0.isOnline(at: now) }.map(\.hostname).sorted()
        if let worst = late.max(by: { $0.value.count != $1.value.count ? $0.value.count < $1.value.count : $0.key > $1.key }) {
            model.summary = [Span("\(worst.key) saturated: \(worst.value.count) late ", style: inputs.style(.warningStrong))]
            if let down = offline.first { model.summary.append(Span("\(down) offline", style: inputs.style(.failure))) }
            return
        }
        model.summary = offline.first.map { [Span("\($0) offline", style: inputs.style(.failure))] }
            ?? [Span("all online", style: inputs.style(.success))]
    }

    /// Per worker, the attempts it received whose ETA passed without a task-started, and how late the
    /// latest is. A worker holds ETA messages itself and starts them when a pool slot frees, so a
    /// received attempt past its ETA waits for a slot: the worker runs its concurrency's worth.
    /// `held` is kept with the retrying index (`TaskTimeIndex.held`), refreshed by the tasks each batch
    /// touched, so a frame reads one small entry per held attempt and looks no task up in the model.
    /// Bound: one entry per worker that has such an attempt; one pass over the held attempts.
    static func lateAttempts(_ held: [TaskKey: HeldAttempt], now: Double) -> [String: (count: Int, latest: Double)] {
        var late: [String: (count: Int, latest: Double)] = [:]
        for attempt in held.values where attempt.due < now - 1 {
            // One hash of the worker's name per attempt: the entry is updated in place.
            count(&late[attempt.worker, default: (0, 0)], overdue: now - attempt.due)
        }
        return late
    }

    private static func count(_ entry: inout (count: Int, latest: Double), overdue: Double) {
        entry.count += 1
        entry.latest = max(entry.latest, overdue)
    }
}
