/// The task keys of one `EvictionClass`, oldest first, consumed from the front.
///
/// Why: finding the next task to evict must cost O(1) amortised per event, not a scan of 100,000 tasks.
/// Entries are never removed when a task leaves the class or is evicted another way; they go stale and
/// are skipped by the caller when popped (it checks the task's class) or dropped by `compact`.
/// Invariant: `head` ≤ `keys.count`; entries before `head` are consumed. Bound: the owner compacts
/// (`EvictionQueues`), so the entries stay proportional to the task bound.
struct EvictionQueue: Sendable {
    private(set) var keys: [TaskKey] = []
    private var head = 0

    /// Entries stored, consumed ones included (what compaction reclaims).
    var storedCount: Int { keys.count }

    mutating func append(_ key: TaskKey) { keys.append(key) }

    /// The oldest unconsumed entry, consumed (it may be stale).
    mutating func popFirst() -> TaskKey? {
        guard head < keys.count else { return nil }
        head += 1
        return keys[head - 1]
    }

    /// Keeps only the unconsumed valid entries, each key once (its oldest entry, so a task that re-entered
    /// the class keeps its place), in order. `seen` collects the keys kept.
    mutating func compact(keeping isValid: (TaskKey) -> Bool, seen: inout Set<TaskKey>) {
        var kept: [TaskKey] = []
        kept.reserveCapacity(keys.count - head)
        for key in keys[head...] where isValid(key) && seen.insert(key).inserted { kept.append(key) }
        keys = kept
        head = 0
    }
}
