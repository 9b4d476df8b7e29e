import Monitor

/// What followed a revoke, counted from the fold: how many of the targeted tasks were discarded while
/// waiting, were running, finished anyway, or have not been answered for yet.
///
/// Why: "Revoke sent" says nothing about the storm. What happened is in the events that follow
/// (`task-revoked` for a discarded message, the running attempt's own outcome), which the fold turns
/// into each task's state; this tally reads those states for the targeted ids against their state when
/// the revoke was sent, so it updates as events arrive. Pure. Bound: one entry per targeted id.
public struct RevokeTally: Sendable, Equatable {
    /// The targeted ids and the state each was in when the revoke was sent (nil: not tracked then).
    public var before: [String: TaskState]
    public var ids: [String]
    public var terminate: Bool

    /// Discarded by a worker while waiting (backoff, queue) or never started.
    public var revokedWaiting = 0
    /// Running at send; now revoked (a plain revoke discards their next retry; terminate stopped them).
    public var revokedRunning = 0
    /// Still running: a plain revoke does not stop them; their retry, if any, will be discarded.
    public var running = 0
    public var succeeded = 0
    public var failed = 0
    /// Still waiting or queued: no worker has reported on them yet.
    public var noAnswer = 0
    /// Evicted or never seen: the fold cannot say.
    public var untracked = 0

    public init(ids: [String], before: [String: TaskState], terminate: Bool) {
        self.ids = ids
        self.before = before
        self.terminate = terminate
    }

    /// The states of `ids` in `monitor` now, to record when the revoke is sent.
    public static func states(of ids: [String], in monitor: MonitorState) -> [String: TaskState] {
        var states: [String: TaskState] = [:]
        for id in ids { if let task = monitor.tasks[id] { states[id] = task.state } }
        return states
    }

    /// Counts the targeted tasks by what became of them in `monitor`.
    public func counted(in monitor: MonitorState) -> RevokeTally {
        var tally = RevokeTally(ids: ids, before: before, terminate: terminate)
        for id in ids {
            guard let task = monitor.tasks[id] else {
                tally.untracked += 1
                continue
            }
            switch task.state {
            case .revoked:
                if before[id] == .started { tally.revokedRunning += 1 } else { tally.revokedWaiting += 1 }
            case .started: tally.running += 1
            case .success: tally.succeeded += 1
            case .failure, .rejected: tally.failed += 1
            default: tally.noAnswer += 1
            }
        }
        return tally
    }

    /// True when every targeted task has an answer (nothing is waiting or running any more).
    public var isSettled: Bool { noAnswer == 0 && running == 0 }

    /// `62 targeted: 51 revoked while waiting, 2 were running (their retry will be discarded), 4 had
    /// already succeeded, 3 failed before the revoke arrived, 2 no answer yet`. Zero counts are left out.
    public var text: String {
        var parts: [String] = []
        if revokedWaiting > 0 { parts.append("\(revokedWaiting) revoked while waiting") }
        if revokedRunning > 0 {
            parts.append(terminate ? "\(revokedRunning) terminated while running" : "\(revokedRunning) were running (their retry was discarded)")
        }
        if running > 0 {
            parts.append(terminate ? "\(running) still running (terminate not reported yet)" : "\(running) running (a plain revoke does not stop them; their retry will be discarded)")
        }
        if succeeded > 0 { parts.append("\(succeeded) had already succeeded") }
        if failed > 0 { parts.append("\(failed) failed before the revoke arrived") }
        if noAnswer > 0 { parts.append("\(noAnswer) no answer yet") }
        if untracked > 0 { parts.append("\(untracked) no longer tracked") }
        return "\(ids.count) targeted: " + (parts.isEmpty ? "nothing reported yet" : parts.joined(separator: ", "))
    }
}
