/// The link to the broker as the screens and the snapshot show it: the connection (with its gaps),
/// decode and inbox counters, and backfill progress. Kept beside the model, not in it.
///
/// Why: `MonitorState` is the fold of events; the link is what the adapter reports about getting them.
/// Apart, a frozen copy of the model (`Z`) cannot carry a stale connection, and the link's counters
/// come in one way (`LinkCounters`) for the dashboard and the headless commands alike.
/// Bounds: `connection.gaps` keeps the last `ConnectionState.maxGaps` windows; counters are integers.
public struct LinkStatus: Sendable {
    public var connection: ConnectionState
    /// Decoder counters, summed over every batch.
    public var decodeStats = DecodeStats()
    /// Raw messages the subscriber had to drop because the inbox was full.
    public var inboxDropped = 0
    /// How fast `inboxDropped` grows now (noted by the dashboard at its ticks).
    public var inboxDropRate = InboxDropRate()
    /// Messages the subscriber refused because they passed the size limit.
    public var inboxOversized = 0
    /// Backfill at start: progress per source and since when retrytop watches.
    public var backfill: BackfillStatus
    /// The journal: its mode, path, history loaded, gaps and troubles (set from the journal adapter).
    public var journal = JournalStatus()
    /// The broker's queue lengths, read at start and refreshed while retrytop runs.
    public var queues = QueueDepths()

    public init(connection: ConnectionState = ConnectionState(), backfill: BackfillStatus = BackfillStatus()) {
        self.connection = connection
        self.backfill = backfill
    }

    /// Everything skipped as bad input: malformed, bad base64, bad fields, wrong content type, oversized.
    public var malformedTotal: Int { decodeStats.malformed + inboxOversized }

    /// Takes one drain's counters: decode counters add up, the inbox's are cumulative and replace.
    public mutating func absorb(_ counters: LinkCounters) {
        decodeStats.add(counters.decode)
        inboxDropped = counters.inboxDropped
        inboxOversized = counters.inboxOversized
    }
}
