/// Failures and retries that share an exception fingerprint (type plus message, ids and numbers masked).
///
/// Bound: `names` keeps at most `ExceptionGroup.maxNames`, `recentTaskIDs` the last `maxRecentTasks`.
public struct ExceptionGroup: Sendable, Equatable {
    public static let maxNames = 16
    public static let maxRecentTasks = 200

    public let fingerprint: String
    public var sample: String
    public var retries = 0
    public var failures = 0
    public var names: [String: Int] = [:]
    public var firstSeen: Double
    public var lastSeen: Double
    /// The tasks that raised it most recently, oldest first (at most `maxRecentTasks`).
    public var recentTaskIDs: [String] {
        get { recent }
        set {
            recent = newValue
            recentTaskSet = Set(newValue)
        }
    }
    private var recent: [String] = []
    /// The ids in `recentTaskIDs`, so noting a task costs a hash lookup, not a scan of 200 ids.
    private var recentTaskSet: Set<String> = []
    public var rates = RateSeries(capacity: 300)

    public init(fingerprint: String, sample: String, at time: Double) {
        self.fingerprint = fingerprint
        self.sample = sample
        self.firstSeen = time
        self.lastSeen = time
    }

    public var total: Int { retries + failures }

    /// Moves `id` to the end of `recentTaskIDs` (dropping the oldest past `maxRecentTasks`).
    mutating func noteRecent(_ id: String) {
        guard recent.last != id else { return }
        if recentTaskSet.contains(id) { recent.removeAll { $0 == id } } else { recentTaskSet.insert(id) }
        recent.append(id)
        if recent.count > ExceptionGroup.maxRecentTasks { recentTaskSet.remove(recent.removeFirst()) }
    }

    /// The exception type name: the text before the first `(` or `:`.
    public var typeName: String { ExceptionFingerprint.typeName(of: sample) }
}
