import Foundation

/// A throwaway Redis Sentinel deployment on free 127.0.0.1 ports: a master, one replica and one sentinel
/// (`redis-server --sentinel`, config written by the test), for failover tests.
///
/// Timings are short so a test fails over in seconds: the sentinel deems the master down after
/// `downAfterMilliseconds` and a failover may take `failoverTimeoutMilliseconds`. Every process is a
/// `RedisServerProcess` (same readiness probe, logs and clean-up); `kill()` stops them all by PID.
/// With `certificates` the set speaks TLS throughout (a TLS port on each process, replication and the
/// sentinel's own links over TLS, so the sentinel names the masters' TLS ports); the plain ports stay open
/// for the harness' probes only.
public final class SentinelSet: @unchecked Sendable {
    /// The name the sentinel monitors the master under (kombu's `master_name`).
    public static let masterName = "retrytop-master"
    static let downAfterMilliseconds = 1_000
    static let failoverTimeoutMilliseconds = 4_000

    /// The master at start (a replica after a failover).
    public let master: RedisServerProcess
    /// The replica at start (the master after a failover).
    public let replica: RedisServerProcess
    public let sentinel: RedisServerProcess
    /// The TLS set-up's certificates; nil for plain TCP.
    public let certificates: TestCertificates?

    private init(master: RedisServerProcess, replica: RedisServerProcess, sentinel: RedisServerProcess, certificates: TestCertificates?) {
        self.master = master
        self.replica = replica
        self.sentinel = sentinel
        self.certificates = certificates
    }

    /// Starts master, replica (waits until it is in sync) and sentinel (waits until it sees the replica);
    /// over TLS throughout with `certificates`.
    public static func start(certificates: TestCertificates? = nil, timeout: Duration = .seconds(20)) async throws -> SentinelSet {
        let tls = certificates == nil ? [] : ["--tls-replication", "yes"]
        let master = try await RedisServerProcess.start(extraArguments: tls, certificates: certificates)
        let masterPort = master.tlsPort ?? master.port
        let replica = try await RedisServerProcess.start(
            extraArguments: ["--replicaof", "127.0.0.1", String(masterPort)] + tls, certificates: certificates)
        let deadline = ContinuousClock.now + timeout
        while !(ask(replica.port, ["INFO", "replication"]) ?? "").contains("master_link_status:up") {
            guard ContinuousClock.now < deadline else {
                throw HarnessError("the replica on \(replica.port) never synced with \(masterPort):\n\(replica.log())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let sentinel = try RedisServerProcess(sentinelConfiguration: [
            "sentinel monitor \(masterName) 127.0.0.1 \(masterPort) 1",
            "sentinel down-after-milliseconds \(masterName) \(downAfterMilliseconds)",
            "sentinel failover-timeout \(masterName) \(failoverTimeoutMilliseconds)",
            "sentinel parallel-syncs \(masterName) 1",
        ] + (certificates == nil ? [] : ["tls-replication yes"]), certificates: certificates)
        try await sentinel.start()
        let set = SentinelSet(master: master, replica: replica, sentinel: sentinel, certificates: certificates)
        // A replica announces its TLS port when it replicates over TLS.
        let replicaPort = replica.tlsPort ?? replica.port
        while !(ask(sentinel.port, ["SENTINEL", "REPLICAS", masterName]) ?? "").contains(String(replicaPort)) {
            guard ContinuousClock.now < deadline else { throw HarnessError("the sentinel never saw the replica:\n\(sentinel.log())") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return set
    }

    /// `sentinel://127.0.0.1:<sentinel port>/<db>`, as a Celery user writes it.
    public func brokerURL(db: Int = 0) -> String { "sentinel://127.0.0.1:\(sentinel.port)/\(db)" }

    /// `sentinel://127.0.0.1:<sentinel TLS port>/<db>?<query>` (the `ssl_*` query of `TestCertificates.query`:
    /// the master's TLS), for a set started with certificates.
    public func tlsBrokerURL(db: Int = 0, query: String) -> String {
        "sentinel://127.0.0.1:\(sentinel.tlsPort ?? 0)/\(db)?\(query)"
    }

    /// The master's port as the sentinel names it now (its TLS port in a TLS set).
    public func masterPort() -> Int? {
        guard let reply = Self.ask(sentinel.port, ["SENTINEL", "get-master-addr-by-name", Self.masterName]) else { return nil }
        return reply.split(separator: "\r\n").last.flatMap { Int($0) }
    }

    /// `SENTINEL FAILOVER` (retried while the sentinel has no good replica yet); returns once the sentinel
    /// names the new master, with its port.
    @discardableResult
    public func failover(timeout: Duration = .seconds(20)) async throws -> Int {
        let before = masterPort()
        let deadline = ContinuousClock.now + timeout
        while true {
            let reply = Self.ask(sentinel.port, ["SENTINEL", "FAILOVER", Self.masterName]) ?? ""
            if reply.hasPrefix("+OK") { break }
            guard ContinuousClock.now < deadline else { throw HarnessError("SENTINEL FAILOVER answered \(reply)\n\(sentinel.log())") }
            try await Task.sleep(for: .milliseconds(200))
        }
        while true {
            if let now = masterPort(), now != before { return now }
            guard ContinuousClock.now < deadline else { throw HarnessError("the sentinel never named a new master:\n\(sentinel.log())") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// `ROLE`'s first word of the server on `port` ("master", "slave"), nil when it does not answer.
    public static func role(port: Int) -> String? {
        guard let reply = ask(port, ["ROLE"]) else { return nil }
        let words = reply.split(separator: "\r\n").filter { !$0.hasPrefix("*") && !$0.hasPrefix("$") }
        return words.first.map(String.init)
    }

    /// Kills the three servers by PID.
    public func kill() {
        sentinel.kill()
        replica.kill()
        master.kill()
    }

    /// One command to 127.0.0.1:`port`, the raw RESP reply, read until it is complete.
    static func ask(_ port: Int, _ command: [String]) -> String? {
        LoopbackProbe.exchange(port: port, request: RedisServerProcess.command(command), timeout: .milliseconds(500)) { text in
            var bytes = Substring(text)
            return skipValue(&bytes)
        }
    }

    /// Consumes one RESP value from `text`; false when it is not complete yet.
    private static func skipValue(_ text: inout Substring) -> Bool {
        guard let end = text.range(of: "\r\n") else { return false }
        let header = text[..<end.lowerBound]
        text = text[end.upperBound...]
        guard let kind = header.first else { return false }
        switch kind {
        case "$":
            guard let length = Int(header.dropFirst()) else { return false }
            if length < 0 { return true }
            let utf8 = text.utf8
            guard utf8.count >= length + 2 else { return false }
            text = Substring(utf8.dropFirst(length + 2))
            return true
        case "*":
            guard let count = Int(header.dropFirst()) else { return false }
            for _ in 0..<max(0, count) where !skipValue(&text) { return false }
            return true
        default:
            return true
        }
    }
}
