/// How to find the master through Redis Sentinel, as kombu's `sentinel://` transport does.
///
/// Why: self-hosted HA Celery deployments name their sentinels, not their master, in the broker URL
/// (`sentinel://[:password@]host:port[;sentinel://host2:port2…][/db]` with the transport option
/// `master_name`); the master moves on failover, so every connection asks the sentinels where it is now.
///
/// Invariants: `nodes` is non-empty, each port in 1...65535, in the URL's order (they are asked in that
/// order, first that answers wins, as redis-py's `Sentinel.discover_master` does). `password` is for the
/// sentinels only (kombu's `sentinel_kwargs={'password': …}`); the URL's own password is the master's.
/// `tls` is the sentinels' TLS (kombu: `sentinel_kwargs={'ssl': True, …}`), independent of the master's.
/// Bounds: at most `maxNodes` sentinels.
public struct SentinelSettings: Sendable, Equatable {
    /// One sentinel's address.
    public struct Node: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// kombu's `SentinelTransport.default_port`.
    public static let defaultPort = 26_379
    /// More sentinels than this in one URL is a mistake, not a deployment.
    public static let maxNodes = 16
    /// Where `--sentinel-password` can come from without argv.
    public static let passwordEnvironmentVariable = "RETRYTOP_SENTINEL_PASSWORD"

    public var nodes: [Node]
    /// kombu's `master_name` transport option; required before connecting.
    public var masterName: String?
    /// The sentinels' own password (`sentinel_kwargs`), nil when they have none.
    public var password: String?
    /// TLS to the sentinels, nil for plain TCP.
    public var tls: TLSSettings?

    public init(nodes: [Node], masterName: String? = nil, password: String? = nil, tls: TLSSettings? = nil) {
        self.nodes = nodes
        self.masterName = masterName
        self.password = password
        self.tls = tls
    }

    /// "host:port;host2:port2", for messages.
    public var nodesDescription: String { nodes.map(\.description).joined(separator: ";") }
}
