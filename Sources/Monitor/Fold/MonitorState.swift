/// The folded model of a Celery deployment: tasks with their attempts, workers, rates, exception groups.
///
/// Pure: no I/O and no clock. Events enter through `apply(_:)` in batches; time enters as event
/// timestamps, and readers that need "now" (online, countdowns, rates) take it as a parameter.
/// One owner mutates it (the runtime's loop); other threads only hand over batches.
///
/// Bounds (see `MonitorLimits`): tasks, attempts per task, workers, task names with rate counters,
/// traceback bytes, exception groups and recent failures are all capped; eviction goes by value
/// (`MonitorState+Eviction`): pending-only and finished tasks first, failed and retrying ones last. The
/// secondary indexes (`retryingIDs`, `activeIDs`, `countsByState`, the eviction queues) follow every change.
public struct MonitorState: Sendable {
    public let limits: MonitorLimits
    /// Tasks by id; `tasks["id"]` also takes the id as a String.
    public internal(set) var tasks: [TaskKey: TaskRecord] = [:]
    public internal(set) var workers: [String: WorkerRecord] = [:]
    /// Rates per task name (bounded by `limits.maxTaskNames`, overflow under one shared key).
    public internal(set) var ratesByName: [String: RateSeries] = [:]
    public internal(set) var overallRates = RateSeries()
    /// Exception groups by fingerprint; `exceptionGroups["fingerprint"]` also takes it as a String.
    public internal(set) var exceptionGroups: [FingerprintKey: ExceptionGroup] = [:]
    public internal(set) var countsByState: [TaskState: Int] = [:]
    /// Tasks waiting in backoff for their next attempt.
    public internal(set) var retryingIDs: Set<TaskKey> = []
    /// Tasks running now.
    public internal(set) var activeIDs: Set<TaskKey> = []
    /// Tasks that failed for good, oldest first (bounded by `limits.maxRecentFailures`).
    public internal(set) var recentFailures: RecentFailures
    public internal(set) var stats = FoldStats()
    /// The newest event timestamp folded so far.
    public internal(set) var latestTimestamp: Double = 0
    // The connection, decode and inbox counters, backfill progress and queue depths are the link's: `LinkStatus`.
    /// Changes waiting for the journal writer; nil when nothing journals (the fold then notes nothing).
    public var journalFeed: JournalFeed?
    /// The connection gaps last handed to the journal (so a batch carries them only when they change).
    var journaledGaps: [ConnectionState.Gap] = []
    /// Ids the workers reported revoked at start (`inspect revoked`), kept so a task another backfill
    /// source finds later is not shown as waiting. Bound: `maxRevokedAtStart` (one Celery worker's
    /// revoked-set size), further ids counted in `stats.revokedAtStartDropped`.
    var revokedAtStart: Set<TaskKey> = []
    static let maxRevokedAtStart = 50_000

    var tracebacks: TracebackStore
    var names = StringInterner(capacity: 20_000)
    var exceptions = ExceptionCatalog(capacity: 8_192)
    /// Tasks by eviction class, oldest first (bounded by compaction to about twice `limits.maxTasks`).
    var evictionQueues = EvictionQueues()
    /// Tasks now failed or retrying (bounded by `limits.maxFailedOrRetryingTasks`).
    var failedOrRetryingCount = 0

    public init(limits: MonitorLimits = MonitorLimits()) {
        self.limits = limits
        self.tracebacks = TracebackStore(maxBytes: limits.maxTracebackBytes)
        self.recentFailures = RecentFailures(bound: limits.maxRecentFailures)
    }

    /// The traceback Celery sent for one attempt, if it is still kept.
    public func traceback(taskID: String, attempt: Int) -> String? {
        tracebacks.text(taskID: TaskKey(taskID), attempt: attempt)
    }

    public func count(_ state: TaskState) -> Int { countsByState[state] ?? 0 }

    /// Finds a task by full id or a unique prefix; nil if none or ambiguous.
    public func task(matchingPrefix prefix: String) -> TaskRecord? {
        let trimmed = prefix.trimming(" \t\n")
        if let exact = tasks[trimmed] { return exact }
        guard trimmed.count >= 4 else { return nil }
        let found = tasks(withIDPrefix: trimmed, limit: 2)
        return found.count == 1 ? found[0] : nil
    }

    /// Up to `limit` tasks whose id starts with `prefix` (a scan of every task: for a key press, not a frame).
    public func tasks(withIDPrefix prefix: String, limit: Int) -> [TaskRecord] {
        var found: [TaskRecord] = []
        for record in tasks.values where record.id.hasPrefix(prefix) {
            found.append(record)
            if found.count >= limit { break }
        }
        return found
    }

    /// Ids of the tasks named `name` in `state`, sorted: from the retrying or active index for RETRY and
    /// STARTED, else a scan of every task (for a key press or a command, not a frame).
    public func tasks(named name: String, in state: TaskState) -> [String] {
        let keys: [TaskKey] = switch state {
        case .retry: Array(retryingIDs)
        case .started: Array(activeIDs)
        default: tasks.values.filter { $0.state == state }.map(\.key)
        }
        return keys.compactMap { key in tasks[key].flatMap { $0.name == name && $0.state == state ? $0.id : nil } }.sorted()
    }

    /// Host names of the workers online at `now`, sorted.
    public func onlineWorkerNames(at now: Double) -> [String] {
        workers.values.filter { $0.isOnline(at: now) }.map(\.hostname).sorted()
    }

    public func onlineWorkers(at now: Double) -> Int {
        workers.values.reduce(0) { $0 + ($1.isOnline(at: now) ? 1 : 0) }
    }

    /// Records a requeue made from here, linking both tasks.
    public mutating func linkRequeue(original: String, copy: String, name: String?, at time: Double) {
        let originalKey = TaskKey(original), copyKey = TaskKey(copy)
        tasks[originalKey]?.requeuedAs = copy
        if tasks[copyKey] == nil {
            var record = TaskRecord(key: copyKey, firstSeen: time)
            record.name = name
            insert(record)
        }
        tasks[copyKey]?.requeueOf = original
        journalFeed?.touch(originalKey)
        journalFeed?.touch(copyKey)
    }

    /// Records that a revoke was sent from here; cleared when `task-revoked` arrives.
    public mutating func markRevokeSent(_ ids: [String], at time: Double) {
        for id in ids { tasks[TaskKey(id)]?.revokeSentAt = time }
    }
}

extension Dictionary where Key == TaskKey {
    /// The value for a task id given as a String.
    public subscript(_ id: String) -> Value? { self[TaskKey(id)] }
}
