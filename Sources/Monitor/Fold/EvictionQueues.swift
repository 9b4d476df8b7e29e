/// One `EvictionQueue` per `EvictionClass`, with the bookkeeping that keeps them bounded.
///
/// Why: eviction by value needs the oldest task of a class at once; one queue per class, filed when a
/// task enters the class, gives it in O(1) amortised. Bound: `storedCount` (every entry in every queue)
/// is compacted back to at most one entry per live task once it passes `compactionThreshold`, so the
/// compaction's O(n) is paid once per at least `maxTasks` appends.
struct EvictionQueues: Sendable {
    private var queues = [EvictionQueue](repeating: EvictionQueue(), count: EvictionClass.allCases.count)
    /// Entries in all queues (consumed and stale ones included).
    private(set) var storedCount = 0

    mutating func append(_ key: TaskKey, to evictionClass: EvictionClass) {
        queues[evictionClass.rawValue].append(key)
        storedCount += 1
    }

    /// The oldest unconsumed entry filed under `evictionClass`, consumed (it may be stale).
    mutating func popFirst(_ evictionClass: EvictionClass) -> TaskKey? {
        queues[evictionClass.rawValue].popFirst()
    }

    /// The entries of one class (tests check the bound).
    func keys(_ evictionClass: EvictionClass) -> [TaskKey] { queues[evictionClass.rawValue].keys }

    /// Drops consumed and stale entries and duplicates of every queue; `classOf` gives a key's class now,
    /// nil for a task no longer tracked.
    mutating func compact(classOf: (TaskKey) -> EvictionClass?) {
        var seen = Set<TaskKey>()
        storedCount = 0
        for evictionClass in EvictionClass.allCases {
            queues[evictionClass.rawValue].compact(keeping: { classOf($0) == evictionClass }, seen: &seen)
            storedCount += queues[evictionClass.rawValue].storedCount
        }
    }
}
