/// The fields of one `TaskRecord`, boxed so the record is one pointer wide.
///
/// Why a class: `MonitorState.tasks` is a power-of-two hash table (up to 2.6 buckets per task at 100,000
/// tasks), so every inline byte of a record costs 2–3 bytes there; boxed, a task costs one allocation of
/// its real size. Invariant: only mutated through a uniquely referenced `TaskRecord` (copy-on-write), so
/// sharing it across threads is safe, hence `@unchecked Sendable`. Times use NaN for "absent".
final class TaskRecordStorage: @unchecked Sendable {
    /// Fields almost every task leaves empty, allocated only when one is set.
    struct Rare: Equatable {
        var revocation: TaskRecord.Revocation?
        var requeuedAs: String?
        var requeueOf: String?
        var revokeSentAt: Double?
        var expires: Double?
        var backfill: BackfillFacts?
    }

    /// Holds `Rare` behind one pointer; replaced (never mutated) when shared.
    final class RareBox: @unchecked Sendable {
        var value: Rare
        init(_ value: Rare) { self.value = value }
    }

    let key: TaskKey
    var name: String?
    var args: String?
    var kwargs: String?
    var queue: String?
    var routingKey: String?
    var exchange: String?
    var rootKey: TaskKey?
    var parentKey: TaskKey?
    var worker: String?
    var result: String?
    // Unchecked: only mutated through a uniquely referenced `TaskRecord` (copy-on-write), which already
    // rules out overlapping access; the run-time check cost ~80 instructions per attempt change.
    @exclusivity(unchecked) var attempts: [Attempt] = []
    var eta = Double.nan
    var firstSeen: Double
    var lastUpdate: Double
    var retries: Int32 = 0
    var droppedAttempts: Int32 = 0
    var state = TaskState.pending
    var sources = TaskSources()
    var rareBox: RareBox?

    init(key: TaskKey, firstSeen: Double) {
        self.key = key
        self.firstSeen = firstSeen
        self.lastUpdate = firstSeen
    }

    var rare: Rare? { rareBox?.value }

    /// Changes the rare fields, allocating (or un-sharing) their box first.
    func changeRare(_ change: (inout Rare) -> Void) {
        var value = rareBox?.value ?? Rare()
        change(&value)
        if rareBox == nil, value == Rare() { return }
        if isKnownUniquelyReferenced(&rareBox) {
            rareBox?.value = value
        } else {
            rareBox = RareBox(value)
        }
    }

    func copy() -> TaskRecordStorage {
        let copy = TaskRecordStorage(key: key, firstSeen: firstSeen)
        copy.name = name
        copy.args = args
        copy.kwargs = kwargs
        copy.queue = queue
        copy.routingKey = routingKey
        copy.exchange = exchange
        copy.rootKey = rootKey
        copy.parentKey = parentKey
        copy.worker = worker
        copy.result = result
        copy.attempts = attempts
        copy.eta = eta
        copy.lastUpdate = lastUpdate
        copy.retries = retries
        copy.droppedAttempts = droppedAttempts
        copy.state = state
        copy.sources = sources
        copy.rareBox = rareBox
        return copy
    }
}
