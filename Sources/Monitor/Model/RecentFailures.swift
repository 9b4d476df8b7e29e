/// The tasks that failed for good, oldest first: the newest `bound` of them, each listed once.
///
/// Why a ring: in a failure storm, or a journal load of many failed tasks, the list is full and every
/// new failure drops the oldest one; an array shifted all `bound` entries for that on each failure
/// (a memmove of the whole list: about 15% of merging 100,000 journaled tasks). Here the newest
/// overwrites the oldest slot and the start moves by one.
///
/// Invariants: `count <= bound`; order is the order of `append`, and appending a listed task moves it
/// to the end (a scan of the list: only a task that fails again, which is rare); `contains` is one hash.
public struct RecentFailures: RandomAccessCollection, Sendable {
    public let bound: Int
    /// Up to `bound` keys; once full, `slots[start]` is the oldest and the order wraps around.
    private var slots: [TaskKey] = []
    private var start = 0
    /// The keys in `slots`, so "already listed?" is one hash.
    private var members: Set<TaskKey> = []

    public init(bound: Int) {
        self.bound = Swift.max(0, bound)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { slots.count }

    /// The `position`th oldest failure listed.
    public subscript(position: Int) -> TaskKey {
        precondition(position >= 0 && position < slots.count, "RecentFailures index out of range")
        let slot = start + position
        return slots[slot < slots.count ? slot : slot - slots.count]
    }

    public func contains(_ key: TaskKey) -> Bool { members.contains(key) }

    /// Lists `key` as the newest failure, dropping the oldest when `bound` are listed already.
    public mutating func append(_ key: TaskKey) {
        guard bound > 0 else { return }
        if members.contains(key) {
            // Listed already: out of its place, the rest in order from slot 0 again.
            slots = filter { $0 != key }
            start = 0
            members.remove(key)
        }
        if slots.count < bound {
            slots.append(key)
        } else {
            members.remove(slots[start])
            slots[start] = key
            start = start + 1 == bound ? 0 : start + 1
        }
        members.insert(key)
    }
}
