/// Finds the master by asking the sentinels in order (`SENTINEL get-master-addr-by-name`), first that answers.
///
/// Why: this is what kombu does through redis-py's `Sentinel.master_for` for `sentinel://` URLs, so
/// retrytop reaches the server the workers publish to. A sentinel that is down, refuses AUTH or does not
/// know the master is skipped and its failure kept for the message, which names every sentinel asked.
///
/// Invariants: a direct URL is returned unchanged; the answer must be `[host, port]` with port 1...65535,
/// anything else counts as that sentinel's failure. Bounds: one connect plus one command per sentinel, each
/// bounded by `timeouts`; at most `SentinelSettings.maxNodes` sentinels.
public struct SentinelResolver: BrokerAddressResolver {
    public init() {}

    public func currentAddress(of url: BrokerURL, timeouts: RedisConnection.Timeouts) throws -> BrokerURL {
        guard let sentinel = url.sentinel else { return url }
        guard let name = sentinel.masterName, !name.isEmpty else {
            throw RedisError.sentinelUnavailable(master: "", attempts: "no master name given (--master-name, kombu's master_name)")
        }
        var failures: [String] = []
        for node in sentinel.nodes {
            let connection = RedisConnection.sentinel(node, settings: sentinel, timeouts: timeouts)
            defer { connection.close() }
            do {
                try connection.connect()
                let reply = try connection.command(["SENTINEL", "get-master-addr-by-name", name]).checked()
                guard let items = reply.elements, items.count == 2, let host = items[0].text, !host.isEmpty,
                      let port = items[1].text.flatMap({ Int($0) }), (1...65_535).contains(port)
                else {
                    failures.append("\(node): " + (reply.isNull ? "does not know '\(name)'" : "answered \(reply)"))
                    continue
                }
                var master = url
                master.sentinel = nil
                master.endpoint = .tcp(host: host, port: port)
                master.scheme = url.tls == nil ? "redis" : "rediss"
                return master
            } catch {
                failures.append("\(node): \(error)")
            }
        }
        throw RedisError.sentinelUnavailable(master: name, attempts: failures.joined(separator: "; "))
    }
}
