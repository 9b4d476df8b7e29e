extension MonitorState {
    /// Files `task` under its eviction class when it enters one (a new task, or a state change that moves
    /// it to another class); called by `reindex` on every state change.
    mutating func fileForEviction(_ task: TaskRecord, from before: TaskState?) {
        let after = EvictionClass(task.state)
        let previous = before.map(EvictionClass.init)
        guard previous != after else { return }
        if previous == .failedOrRetrying { failedOrRetryingCount -= 1 }
        if after == .failedOrRetrying { failedOrRetryingCount += 1 }
        evictionQueues.append(task.key, to: after)
    }

    /// Keeps the task bounds by value, after every task event.
    ///
    /// First the failed and retrying tasks' own bound (`maxFailedOrRetryingTasks`, oldest first), then the
    /// task bound (`maxTasks`): pending-only tasks, then succeeded, then other finished, then in flight,
    /// each oldest first (by when the task entered its class), and failed or retrying ones only when
    /// nothing else is left. O(1) amortised per event: a pop skips stale entries once, and compaction runs
    /// once per at least `maxTasks` entries filed.
    mutating func evictIfNeeded() {
        while failedOrRetryingCount > limits.maxFailedOrRetryingTasks, evictOldest(.failedOrRetrying) {}
        while tasks.count > limits.maxTasks {
            var evicted = false
            for evictionClass in EvictionClass.allCases where evictOldest(evictionClass) {
                evicted = true
                break
            }
            if !evicted { break }
        }
        compactOrders()
    }

    /// Evicts the oldest task of `evictionClass`; false when the class has none.
    mutating func evictOldest(_ evictionClass: EvictionClass) -> Bool {
        while let key = evictionQueues.popFirst(evictionClass) {
            // Stale entries (the task left the class, or is gone) are skipped here, once.
            guard let slot = tasks.index(forKey: key), EvictionClass(tasks.values[slot].state) == evictionClass else { continue }
            remove(tasks.remove(at: slot).value)
            return true
        }
        return false
    }

    /// Takes an evicted task out of every index and counts it by its state.
    mutating func remove(_ task: TaskRecord) {
        countsByState[task.state, default: 1] -= 1
        retryingIDs.remove(task.key)
        activeIDs.remove(task.key)
        tracebacks.remove(taskID: task.key, attempts: task.attempts)
        if EvictionClass(task.state) == .failedOrRetrying { failedOrRetryingCount -= 1 }
        stats.evictedTasks += 1
        stats.evictedByState[task.state, default: 0] += 1
    }

    /// Keeps the eviction queues proportional to the task bound by dropping consumed, stale and repeated
    /// entries once they pass twice the bound.
    mutating func compactOrders() {
        if evictionQueues.storedCount > max(1_024, limits.maxTasks * 2) {
            evictionQueues.compact { [tasks] key in tasks[key].map { EvictionClass($0.state) } }
        }
        stats.droppedTracebacks = tracebacks.evicted
    }
}
