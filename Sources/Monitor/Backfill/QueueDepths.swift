/// The lengths of every queue bound on the broker, as last read (`_kombu.binding.*`, then `LLEN`).
///
/// Why: shown in the header and the snapshot while retrytop runs; refreshed periodically by the runtime.
/// Bound: at most `maxQueues` queues are kept (the largest), `omitted` counts the rest.
public struct QueueDepths: Sendable, Equatable {
    public static let maxQueues = 1_000

    /// Largest first, then by name.
    public private(set) var queues: [QueueDepth]
    /// Queues left out by the bound.
    public private(set) var omitted: Int
    /// When the lengths were read (epoch seconds, the runtime's clock); nil before the first read.
    public var readAt: Double?
    /// Why the last read failed (the previous lengths are kept and shown as stale).
    public var error: String?

    public init(queues: [QueueDepth] = [], readAt: Double? = nil, error: String? = nil) {
        let sorted = queues.sorted { $0.messages != $1.messages ? $0.messages > $1.messages : $0.name < $1.name }
        self.queues = Array(sorted.prefix(Self.maxQueues))
        self.omitted = max(0, sorted.count - Self.maxQueues)
        self.readAt = readAt
        self.error = error
    }

    /// Messages waiting in all kept queues.
    public var total: Int { queues.reduce(0) { $0.addingReportingOverflow($1.messages).overflow ? Int.max : $0 + $1.messages } }
}
