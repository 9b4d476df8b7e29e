/// One task name's counts in one minute (epoch minute = floor(timestamp / 60)), as the journal keeps them.
///
/// Why minutes: the rates a person asks about after the fact ("which names failed most last night")
/// need no finer grain, and a week of minutes for a few hundred names stays small.
public struct RateCell: Sendable, Equatable, Hashable {
    public struct Key: Sendable, Hashable {
        public var name: String
        public var minute: Int

        public init(name: String, minute: Int) {
            self.name = name
            self.minute = minute
        }
    }

    public var key: Key
    public var received = 0
    public var succeeded = 0
    public var retried = 0
    public var failed = 0

    public init(key: Key, received: Int = 0, succeeded: Int = 0, retried: Int = 0, failed: Int = 0) {
        self.key = key
        self.received = received
        self.succeeded = succeeded
        self.retried = retried
        self.failed = failed
    }

    public mutating func add(_ kind: RateKind, count: Int = 1) {
        switch kind {
        case .received: received += count
        case .succeeded: succeeded += count
        case .retried: retried += count
        case .failed: failed += count
        }
    }

    /// The count of `kind`.
    public func count(_ kind: RateKind) -> Int {
        switch kind {
        case .received: received
        case .succeeded: succeeded
        case .retried: retried
        case .failed: failed
        }
    }

    /// Final failures over attempts that ended: failed / (succeeded + retried + failed); nil when none ended.
    public var failureRatio: Double? {
        let ended = succeeded + retried + failed
        return ended > 0 ? Double(failed) / Double(ended) : nil
    }

    /// Attempts that raised over attempts that ended: (retried + failed) / (succeeded + retried + failed);
    /// nil when none ended.
    public var attemptErrorRatio: Double? {
        let ended = succeeded + retried + failed
        return ended > 0 ? Double(retried + failed) / Double(ended) : nil
    }

    /// The epoch minute holding `timestamp` (total: a non-finite or absurd time gives minute 0).
    public static func minute(of timestamp: Double) -> Int {
        guard timestamp.isFinite, abs(timestamp) < 1e12 else { return 0 }
        return Int((timestamp / 60).rounded(.down))
    }

    /// Adds another cell's counts (same key).
    public mutating func add(_ other: RateCell) {
        received += other.received
        succeeded += other.succeeded
        retried += other.retried
        failed += other.failed
    }
}
