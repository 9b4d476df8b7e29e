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

    /// Adds another cell's counts (same key).
    public mutating func add(_ other: RateCell) {
        received += other.received
        succeeded += other.succeeded
        retried += other.retried
        failed += other.failed
    }
}
