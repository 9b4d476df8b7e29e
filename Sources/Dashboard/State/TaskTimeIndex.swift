import Monitor

/// The sort time of every task in one of the model's indexes: when a retrying task is next due, or
/// when a running task started. Kept in step with `MonitorState.retryingIDs` / `activeIDs`.
///
/// Why: the Retrying and Active panes sort by these times every frame, and looking 20,000 ids up in
/// a 100,000-task dictionary costs more than a frame. The index is refreshed for the tasks a batch
/// touched (work per event, not per frame) and rebuilt only when the counts disagree (a task was
/// evicted). Invariant: its keys equal the model's index. Bound: that of the model's index.
///
/// The retrying index also keeps `held`: the retrying tasks whose latest attempt a worker has received
/// (it holds the message until the ETA), with that worker and the ETA, which is all the Workers pane's
/// LATE column needs; so a frame counts late attempts from this map instead of looking every retrying
/// task up in the model. Invariant: `held`'s keys are a subset of `times`' keys.
public struct TaskTimeIndex: Sendable, Equatable {
    /// Which model index this follows.
    public enum Kind: Sendable, Equatable { case retrying, active }

    public let kind: Kind
    public private(set) var times: [TaskKey: Double] = [:]
    /// Retrying tasks whose latest attempt a worker received, by id (retrying index only).
    public private(set) var held: [TaskKey: HeldAttempt] = [:]

    public init(_ kind: Kind, _ monitor: MonitorState) {
        self.kind = kind
        rebuild(from: monitor)
    }

    public var count: Int { times.count }

    private func ids(_ monitor: MonitorState) -> Set<TaskKey> {
        kind == .retrying ? monitor.retryingIDs : monitor.activeIDs
    }

    private func time(_ task: TaskRecord) -> Double {
        switch kind {
        case .retrying: task.nextAttemptAt ?? .infinity
        case .active: task.attempts.last?.started ?? task.lastUpdate
        }
    }

    /// The attempt a worker holds for `task`, when the retrying index should keep it.
    private func heldAttempt(_ task: TaskRecord) -> HeldAttempt? {
        guard kind == .retrying else { return nil }
        return HeldAttempt(task)
    }

    mutating func rebuild(from monitor: MonitorState) {
        var entries: [TaskKey: Double] = [:]
        var holding: [TaskKey: HeldAttempt] = [:]
        let members = ids(monitor)
        entries.reserveCapacity(members.count)
        for id in members {
            let task = monitor.tasks[id]
            entries[id] = task.map(time) ?? .infinity
            if let attempt = task.flatMap(heldAttempt) { holding[id] = attempt }
        }
        times = entries
        held = holding
    }

    /// Updates the entries of `touched` after their events were folded.
    mutating func refresh(_ touched: Set<TaskKey>, in monitor: MonitorState) {
        let members = ids(monitor)
        for id in touched {
            if members.contains(id), let task = monitor.tasks[id] {
                times[id] = time(task)
                held[id] = heldAttempt(task)
            } else {
                times.removeValue(forKey: id)
                held.removeValue(forKey: id)
            }
        }
        if times.count != members.count { rebuild(from: monitor) }
    }
}
