/// Failures and retries that share an exception fingerprint (type plus message, ids and numbers masked).
///
/// Bound: `names` and `workers` keep at most `ExceptionGroup.maxNames` each (later ones are counted in
/// the totals only), `recentTaskIDs` the last `maxRecentTasks`.
/// The recent list is kept as an append-only log with each id's newest position beside it, so noting a
/// task costs one hash update (no scan of 200 ids); stale log entries are skipped on reading and the log
/// is compacted once it holds twice `maxRecentTasks` entries.
public struct ExceptionGroup: Sendable, Equatable {
    public static let maxNames = 16
    public static let maxRecentTasks = 200

    public let fingerprint: String
    public var sample: String
    public var retries = 0
    public var failures = 0
    public var names: [String: Int] = [:]
    /// How often each worker raised it (the hostname of the task-retried / task-failed event).
    public var workers: [String: Int] = [:]
    public var firstSeen: Double
    public var lastSeen: Double
    /// The tasks that raised it most recently, oldest first (at most `maxRecentTasks`).
    public var recentTaskIDs: [String] {
        get { recentTaskKeys.map(\.string) }
        set { recentTaskKeys = newValue.map(TaskKey.init) }
    }
    /// `recentTaskIDs` as keys, oldest first.
    public var recentTaskKeys: [TaskKey] {
        get {
            var ids: [TaskKey] = []
            ids.reserveCapacity(newestPosition.count)
            for position in logHead..<log.count where newestPosition[log[position]] == position { ids.append(log[position]) }
            return ids
        }
        set {
            log = Array(newValue.suffix(ExceptionGroup.maxRecentTasks))
            logHead = 0
            newestPosition = [:]
            for (position, id) in log.enumerated() { newestPosition[id] = position }
            if newestPosition.count != log.count { compactLog() }
        }
    }
    /// Ids in the order they were noted; an entry is live only where `newestPosition` points at it.
    private var log: [TaskKey] = []
    private var logHead = 0
    /// Each live id's newest position in `log` (at most `maxRecentTasks` entries).
    private var newestPosition: [TaskKey: Int] = [:]
    public var rates = RateSeries(capacity: 300)

    public init(fingerprint: String, sample: String, at time: Double) {
        self.fingerprint = fingerprint
        self.sample = sample
        self.firstSeen = time
        self.lastSeen = time
    }

    public var total: Int { retries + failures }

    /// Counts one failure or retry of `taskID` (named `name`, on `worker`) raising `sample` at `time`.
    mutating func record(sample: String, name: String, worker: String, taskID: TaskKey, isRetry: Bool, at time: Double) {
        if isRetry {
            retries += 1
            rates.add(.retried, at: time)
        } else {
            failures += 1
            rates.add(.failed, at: time)
        }
        lastSeen = max(lastSeen, time)
        self.sample = sample
        if let index = names.index(forKey: name) {
            names.values[index] += 1
        } else if names.count < ExceptionGroup.maxNames {
            names[name] = 1
        }
        if let index = workers.index(forKey: worker) {
            workers.values[index] += 1
        } else if workers.count < ExceptionGroup.maxNames {
            workers[worker] = 1
        }
        noteRecent(taskID)
    }

    /// Moves `id` to the end of `recentTaskIDs` (dropping the oldest past `maxRecentTasks`).
    mutating func noteRecent(_ id: TaskKey) {
        if let last = log.last, log.count > logHead, last == id { return }
        newestPosition[id] = log.count
        log.append(id)
        while newestPosition.count > ExceptionGroup.maxRecentTasks, logHead < log.count {
            let oldest = log[logHead]
            if newestPosition[oldest] == logHead { newestPosition[oldest] = nil }
            logHead += 1
        }
        if log.count - logHead > 2 * ExceptionGroup.maxRecentTasks || logHead > 2 * ExceptionGroup.maxRecentTasks { compactLog() }
    }

    /// Drops consumed and stale entries from `log`, keeping the live ones in order.
    private mutating func compactLog() {
        let live = recentTaskKeys
        log = live
        logHead = 0
        newestPosition = Dictionary(uniqueKeysWithValues: live.enumerated().map { ($1, $0) })
    }

    /// The exception type name: the text before the first `(` or `:`.
    public var typeName: String { ExceptionFingerprint.typeName(of: sample) }

    public static func == (lhs: ExceptionGroup, rhs: ExceptionGroup) -> Bool {
        lhs.fingerprint == rhs.fingerprint && lhs.sample == rhs.sample && lhs.retries == rhs.retries
            && lhs.failures == rhs.failures && lhs.names == rhs.names && lhs.workers == rhs.workers && lhs.firstSeen == rhs.firstSeen
            && lhs.lastSeen == rhs.lastSeen && lhs.rates == rhs.rates && lhs.recentTaskKeys == rhs.recentTaskKeys
    }
}
