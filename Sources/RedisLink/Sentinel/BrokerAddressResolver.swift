/// Says which server a broker URL means right now: the port through which every connection finds the master.
///
/// Why: with Sentinel the master moves on failover, so "where is the broker" is a question asked at every
/// connect, not a constant. The subscriber, the control client and the backfill reader all connect through
/// `RedisConnection`, which asks its resolver, so they follow a failover the same way and there is no
/// `if sentinel` anywhere else. Tests can swap the resolver.
///
/// Invariants: the URL returned has `sentinel == nil` (a direct `redis://`/`rediss://` address carrying the
/// original credentials, database and master TLS). A URL that needs no resolving comes back unchanged.
public protocol BrokerAddressResolver: Sendable {
    /// The direct address to connect to now; throws `RedisError` when it cannot be found.
    func currentAddress(of url: BrokerURL, timeouts: RedisConnection.Timeouts) throws -> BrokerURL
}
