import Monitor

/// The sort time of every task in one of the model's indexes: when a retrying task is next due, or
/// when a running task started. Kept in step with `MonitorState.retryingIDs` / `activeIDs`.
///
/// Why: the Retrying and Active panes sort by these times every frame, and looking 20,000 ids up in
/// a 100,000-task dictionary costs more than a frame. The index is refreshed for the tasks a batch
/// touched (work per event, not per frame) and rebuilt only when the counts disagree (a task was
/// evicted). Invariant: its keys equal the model's index. Bound: that of the model's index.
public struct TaskTimeIndex: Sendable, Equatable {
    /// Which model index this follows.
    public enum Kind: Sendable, Equatable { case retrying, active }

    public let kind: Kind
    public private(set) var times: [TaskKey: Double] = [:]

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

    mutating func rebuild(from monitor: MonitorState) {
        var entries: [TaskKey: Double] = [:]
        let members = ids(monitor)
        entries.reserveCapacity(members.count)
        for id in members { entries[id] = monitor.tasks[id].map(time) ?? .infinity }
        times = entries
    }

    /// Updates the entries of `touched` after their events were folded.
    mutating func refresh(_ touched: Set<TaskKey>, in monitor: MonitorState) {
        let members = ids(monitor)
        for id in touched {
            if members.contains(id), let task = monitor.tasks[id] {
                times[id] = time(task)
            } else {
                times.removeValue(forKey: id)
            }
        }
        if times.count != members.count { rebuild(from: monitor) }
    }
}
