/// Everything known about one task id, folded from its events, with its attempts in order.
///
/// Bound: at most `MonitorLimits.maxAttemptsPerTask` attempts are kept (the first one and the most recent
/// ones); `droppedAttempts` counts the rest. Tracebacks live in `MonitorState`'s bounded traceback store.
///
/// Layout: a value type over one copy-on-write `TaskRecordStorage` (8 bytes inline), so the `tasks`
/// dictionary's power-of-two table holds pointers, not ~330-byte records, and the fold moves a record in
/// and out of its slot by swapping a pointer. Fields that stay empty for almost every task (revocation,
/// requeue links, a pending revoke, expiry) sit in a second box allocated only when one is set. Counts
/// (`retries`, `droppedAttempts`) are stored as `Int32`, saturating.
public struct TaskRecord: Sendable, Equatable {
    private var storage: TaskRecordStorage

    public init(id: String, firstSeen: Double) {
        self.init(key: TaskKey(id), firstSeen: firstSeen)
    }

    public init(key: TaskKey, firstSeen: Double) {
        storage = TaskRecordStorage(key: key, firstSeen: firstSeen)
    }

    /// The storage, copied first if another record shares it.
    private var unique: TaskRecordStorage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// The id as Celery sent it (made from `key`: a String per read for UUIDs, so hot paths use `key`).
    public var id: String { storage.key.string }
    public var key: TaskKey { storage.key }
    public var name: String? {
        get { storage.name }
        set { unique.name = newValue }
    }
    public var args: String? {
        get { storage.args }
        set { unique.args = newValue }
    }
    public var kwargs: String? {
        get { storage.kwargs }
        set { unique.kwargs = newValue }
    }
    public var queue: String? {
        get { storage.queue }
        set { unique.queue = newValue }
    }
    public var routingKey: String? {
        get { storage.routingKey }
        set { unique.routingKey = newValue }
    }
    public var exchange: String? {
        get { storage.exchange }
        set { unique.exchange = newValue }
    }
    public var rootID: String? {
        get { storage.rootKey?.string }
        set { unique.rootKey = newValue.map(TaskKey.init) }
    }
    public var rootKey: TaskKey? {
        get { storage.rootKey }
        set { unique.rootKey = newValue }
    }
    public var parentID: String? {
        get { storage.parentKey?.string }
        set { unique.parentKey = newValue.map(TaskKey.init) }
    }
    public var parentKey: TaskKey? {
        get { storage.parentKey }
        set { unique.parentKey = newValue }
    }
    public var state: TaskState {
        get { storage.state }
        set { unique.state = newValue }
    }
    /// Retries so far: the highest `retries` seen in a message of this task.
    public var retries: Int {
        get { Int(storage.retries) }
        set { unique.retries = Int32(clamping: newValue) }
    }
    /// The worker of the latest attempt.
    public var worker: String? {
        get { storage.worker }
        set { unique.worker = newValue }
    }
    public var eta: Double? {
        get { storage.eta.isNaN ? nil : storage.eta }
        set { unique.eta = newValue ?? .nan }
    }
    public var expires: Double? {
        get { storage.rare?.expires }
        set { unique.changeRare { $0.expires = newValue } }
    }
    public var result: String? {
        get { storage.result }
        set { unique.result = newValue }
    }
    public var firstSeen: Double {
        get { storage.firstSeen }
        set { unique.firstSeen = newValue }
    }
    public var lastUpdate: Double {
        get { storage.lastUpdate }
        set { unique.lastUpdate = newValue }
    }
    public var attempts: [Attempt] {
        get { storage.attempts }
        _modify { yield &unique.attempts }
    }
    public var droppedAttempts: Int {
        get { Int(storage.droppedAttempts) }
        set { unique.droppedAttempts = Int32(clamping: newValue) }
    }
    /// Set once `task-revoked` arrives.
    public var revocation: Revocation? {
        get { storage.rare?.revocation }
        set { unique.changeRare { $0.revocation = newValue } }
    }
    /// Links made by requeue actions.
    public var requeuedAs: String? {
        get { storage.rare?.requeuedAs }
        set { unique.changeRare { $0.requeuedAs = newValue } }
    }
    public var requeueOf: String? {
        get { storage.rare?.requeueOf }
        set { unique.changeRare { $0.requeueOf = newValue } }
    }
    /// A revoke sent from here, not yet confirmed by `task-revoked`.
    public var revokeSentAt: Double? {
        get { storage.rare?.revokeSentAt }
        set { unique.changeRare { $0.revokeSentAt = newValue } }
    }

    /// Where this task was seen: its events and the backfill sources read at start.
    public var sources: TaskSources {
        get { storage.sources }
        set { unique.sources = newValue }
    }
    /// What backfill found for this task (nil when it found nothing).
    public var backfill: BackfillFacts? {
        get { storage.rare?.backfill }
        set { unique.changeRare { $0.backfill = newValue } }
    }

    /// How many attempts happened before retrytop saw this task (`retries` of the first attempt it knows):
    /// they are not shown as attempts, since nothing about them was seen. Zero when attempts were dropped
    /// by the bound (the first kept attempt is then the real first).
    public var attemptsBeforeWatching: Int {
        guard droppedAttempts == 0, let first = attempts.first else { return 0 }
        return max(0, first.number - 1)
    }

    /// The result backend's state when events or a held message say otherwise (`docs/celery-wire.md`, "Backfill: what a late starter can read").
    public var contradictedBackendState: TaskState? {
        guard let stored = backfill?.backendState, stored != state else { return nil }
        return stored
    }

    public struct Revocation: Sendable, Equatable {
        public var terminated: Bool
        public var signum: Int?
        public var expired: Bool
        public var at: Double
    }

    /// An empty record swapped into a dictionary slot while the fold changes the real one in place.
    static let placeholder = TaskRecord(id: "", firstSeen: 0)

    public var lastAttempt: Attempt? { attempts.last }

    /// The exception of the most recent attempt that raised one.
    public var lastException: String? {
        attempts.last(where: { $0.exception != nil })?.exception
    }

    /// When the next attempt is due, while the task waits in backoff.
    public var nextAttemptAt: Double? {
        guard state == .retry, let last = attempts.last, last.started == nil else { return nil }
        return last.eta ?? attempts.dropLast().last?.retryAt
    }

    /// When the wait that ends at `nextAttemptAt` began (the previous attempt's end).
    public var backoffStartedAt: Double? {
        guard state == .retry, attempts.count >= 2 else { return nil }
        let previous = attempts[attempts.count - 2]
        return previous.ended ?? attempts.last?.received
    }

    public static func == (lhs: TaskRecord, rhs: TaskRecord) -> Bool {
        if lhs.storage === rhs.storage { return true }
        return lhs.key == rhs.key && lhs.name == rhs.name && lhs.args == rhs.args && lhs.kwargs == rhs.kwargs
            && lhs.queue == rhs.queue && lhs.routingKey == rhs.routingKey && lhs.exchange == rhs.exchange
            && lhs.rootKey == rhs.rootKey && lhs.parentKey == rhs.parentKey && lhs.state == rhs.state
            && lhs.retries == rhs.retries && lhs.worker == rhs.worker && lhs.eta == rhs.eta
            && lhs.expires == rhs.expires && lhs.result == rhs.result && lhs.firstSeen == rhs.firstSeen
            && lhs.lastUpdate == rhs.lastUpdate && lhs.attempts == rhs.attempts
            && lhs.droppedAttempts == rhs.droppedAttempts && lhs.revocation == rhs.revocation
            && lhs.requeuedAs == rhs.requeuedAs && lhs.requeueOf == rhs.requeueOf && lhs.revokeSentAt == rhs.revokeSentAt
            && lhs.sources == rhs.sources && lhs.backfill == rhs.backfill
    }
}
