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
    public var recentTaskIDs: [String] = []
    public var rates = RateSeries(capacity: 300)

    public init(fingerprint: String, sample: String, at time: Double) {
        self.fingerprint = fingerprint
        self.sample = sample
        self.firstSeen = time
        self.lastSeen = time
    }

    public var total: Int { retries + failures }

    /// The exception type name: the text before the first `(` or `:`.
    public var typeName: String { ExceptionFingerprint.typeName(of: sample) }
}
