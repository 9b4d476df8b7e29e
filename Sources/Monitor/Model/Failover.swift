/// The last master change the subscriber followed through Redis Sentinel.
///
/// Why: after a failover the on-call engineer must see that the broker moved, when, and whether events
/// may have been missed; the old master keeps receiving the workers' events until Sentinel demotes it
/// and cuts its clients (about 10 s with Celery 5.7, see docs/celery-wire.md), so the subscriber stays on
/// it and this record says how long that lasted and how many messages it still delivered.
///
/// Invariants: `from != to` ("host:port" of the masters); times are epoch seconds; `followedAt >= at`
/// once set; `oldMasterClosedAt` is nil while the old master is still read.
public struct Failover: Sendable, Equatable, Codable {
    /// The master before the switch.
    public var from: String
    /// The master after it.
    public var to: String
    /// When the switch was noticed (`+switch-master` from a sentinel, or a reconnect that found a new master).
    public var at: Double
    /// When the subscription on the new master was confirmed; nil until then.
    public var followedAt: Double?
    /// When reading the old master ended (it cut us, or the drain bound passed); nil while it is read.
    public var oldMasterClosedAt: Double?
    /// Messages read from the old master after the switch.
    public var oldMasterMessages: Int

    public init(from: String, to: String, at: Double, followedAt: Double? = nil, oldMasterClosedAt: Double? = nil, oldMasterMessages: Int = 0) {
        self.from = from
        self.to = to
        self.at = at
        self.followedAt = followedAt
        self.oldMasterClosedAt = oldMasterClosedAt
        self.oldMasterMessages = oldMasterMessages
    }

    /// The gap reason for this switch, e.g. "failover 10.0.0.1:6379→10.0.0.2:6379".
    public var gapReason: String { "failover \(from)\u{2192}\(to)" }
}
