import Foundation
import Launch

/// A throwaway `redis-server` on a free 127.0.0.1 port, for integration tests.
///
/// No persistence (`--save "" --appendonly no`), its own temporary directory, optional `requirepass`.
/// Readiness is a raw `PING` over TCP (``LoopbackProbe``), so the harness needs neither hiredis nor
/// redis-cli. `restart()` comes back on the same port, which is what reconnect tests need. A server still
/// running when this object goes away is killed. `init(sentinelConfiguration:)` runs `redis-server --sentinel`
/// instead, from a config file written into its directory (Sentinel rewrites it), see `SentinelSet`.
public final class RedisServerProcess: @unchecked Sendable {
    /// The port; fixed after the first successful `start()`, so restarts reuse it.
    public private(set) var port: Int
    public let password: String?
    /// Holds the server's working directory and `redis.log` (stdout and stderr); deleted on deinit
    /// unless `RETRYTOP_KEEP_LOGS=1`.
    public let directory: URL
    public var logFile: URL { directory.appendingPathComponent("redis.log") }
    private let extraArguments: [String]
    private let portWasChosen: Bool
    /// The certificates of the TLS port, when the server has one.
    public let certificates: TestCertificates?
    /// The TLS port (`--tls-port`), beside the plain `port` the harness probes; nil without TLS.
    public private(set) var tlsPort: Int?
    private let requireClientCertificates: Bool
    /// Sentinel mode: the config file's lines (without `port`), written before the first start.
    private let sentinelConfiguration: [String]?
    private let lock = NSLock()
    private var child: BackgroundProcess?

    /// Prepares a server; nothing runs until `start()`. A nil `port` picks a free one.
    /// With `certificates` the server also listens for TLS on `tlsPort` (server certificate for
    /// 127.0.0.1/localhost; clients must present a certificate from the same CA when
    /// `requireClientCertificates`).
    public init(
        port: Int? = nil, password: String? = nil, extraArguments: [String] = [],
        certificates: TestCertificates? = nil, requireClientCertificates: Bool = false
    ) throws {
        self.portWasChosen = port == nil
        self.port = try port ?? FreePort.next()
        self.password = password
        self.extraArguments = extraArguments
        self.certificates = certificates
        self.requireClientCertificates = requireClientCertificates
        self.sentinelConfiguration = nil
        if certificates != nil { self.tlsPort = try FreePort.next() }
        self.directory = try Self.makeDirectory()
    }

    /// Prepares a sentinel (`redis-server sentinel.conf --sentinel`) on a free port with these config lines
    /// (`sentinel monitor …`, timings); nothing runs until `start()`. With `certificates` it also listens for
    /// TLS on `tlsPort`, as a server does.
    public init(sentinelConfiguration lines: [String], certificates: TestCertificates? = nil) throws {
        self.portWasChosen = true
        self.port = try FreePort.next()
        self.password = nil
        self.extraArguments = []
        self.certificates = certificates
        self.requireClientCertificates = false
        self.sentinelConfiguration = lines
        if certificates != nil { self.tlsPort = try FreePort.next() }
        self.directory = try Self.makeDirectory()
    }

    private static func makeDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("retrytop-redis-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Creates and starts a server, waiting until it answers PING (see `startBlocking(timeout:)`).
    public static func start(
        password: String? = nil, extraArguments: [String] = [], certificates: TestCertificates? = nil,
        requireClientCertificates: Bool = false, timeout: Duration = .seconds(10)
    ) async throws -> RedisServerProcess {
        try startBlocking(
            password: password, extraArguments: extraArguments, certificates: certificates,
            requireClientCertificates: requireClientCertificates, timeout: timeout)
    }

    /// `start(…)` for synchronous tests.
    public static func startBlocking(
        password: String? = nil, extraArguments: [String] = [], certificates: TestCertificates? = nil,
        requireClientCertificates: Bool = false, timeout: Duration = .seconds(10)
    ) throws -> RedisServerProcess {
        let server = try RedisServerProcess(
            password: password, extraArguments: extraArguments, certificates: certificates,
            requireClientCertificates: requireClientCertificates)
        try server.startBlocking(timeout: timeout)
        return server
    }

    deinit {
        child?.kill()
        if ProcessInfo.processInfo.environment["RETRYTOP_KEEP_LOGS"] != "1" {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// `redis://[:password@]127.0.0.1:<port>/<db>`.
    public func url(db: Int = 0) -> String {
        let auth = password.map { ":\(Self.percentEncoded($0))@" } ?? ""
        return "redis://\(auth)127.0.0.1:\(port)/\(db)"
    }

    /// `rediss://[:password@]127.0.0.1:<tlsPort>/<db>?<query>` (see `TestCertificates.query`).
    public func tlsURL(db: Int = 0, query: String) -> String {
        let auth = password.map { ":\(Self.percentEncoded($0))@" } ?? ""
        return "rediss://\(auth)127.0.0.1:\(tlsPort ?? 0)/\(db)?\(query)"
    }

    /// The broker URL on db 0.
    public var url: String { url(db: 0) }

    /// The server's PID while it runs.
    public var pid: Int32? { lock.withLock { child?.isRunning == true ? child?.pid : nil } }

    public var isRunning: Bool { lock.withLock { child?.isRunning ?? false } }

    /// The server's log so far.
    public func log() -> String { BackgroundProcess.read(logFile) }

    /// Starts the server and waits until it answers PING (see `startBlocking(timeout:)`).
    public func start(timeout: Duration = .seconds(10)) async throws {
        try startBlocking(timeout: timeout)
    }

    /// Starts the server and waits until it answers PING, polling every 50 ms on the calling thread.
    ///
    /// Why blocking, also under `start`: a wait that suspends can be starved for seconds when tests running
    /// in parallel block the few threads of the cooperative pool (two on a 2-core machine), and then a
    /// server that is up looks dead after `timeout`. Starting takes a few tens of milliseconds.
    /// When the port was picked automatically and someone else took it meanwhile, it retries on a new port
    /// (only before the first successful start: after that the port is part of the server's identity).
    public func startBlocking(timeout: Duration = .seconds(10)) throws {
        if isRunning { return }
        let executable = try RequiredTool.redisServer.path()
        var attempts = 0
        while true {
            attempts += 1
            var arguments = [
                "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", directory.path, "--daemonize", "no", "--logfile", "",
            ]
            if let sentinelConfiguration {
                // Sentinel takes no persistence options, and must be able to rewrite its config file.
                let file = directory.appendingPathComponent("sentinel.conf")
                if !FileManager.default.fileExists(atPath: file.path) {
                    try (sentinelConfiguration.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
                }
                arguments = [file.path, "--sentinel", "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--daemonize", "no", "--logfile", ""]
            }
            if let password { arguments += ["--requirepass", password] }
            if let certificates, let tlsPort {
                arguments += [
                    "--tls-port", String(tlsPort), "--tls-cert-file", certificates.serverCertificate.path,
                    "--tls-key-file", certificates.serverKey.path, "--tls-ca-cert-file", certificates.caCertificate.path,
                    "--tls-auth-clients", requireClientCertificates ? "yes" : "no",
                ]
            }
            arguments += extraArguments
            let child = try BackgroundProcess(executable: executable, arguments: arguments, outputFile: logFile)
            lock.withLock { self.child = child }

            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline && child.isRunning {
                if ping() { return }
                usleep(50_000)
            }
            let log = log()
            child.terminate(grace: .seconds(2))
            if portWasChosen && attempts < 3 && log.contains("Address already in use") {
                port = try FreePort.next()
                if tlsPort != nil { tlsPort = try FreePort.next() }
                continue
            }
            throw HarnessError(
                "redis-server on 127.0.0.1:\(port) did not answer PING within \(timeout)"
                    + " (exit status \(child.exitStatus.map(String.init) ?? "none"))\nlog:\n\(log)")
        }
    }

    /// Shuts the server down with SIGTERM (SIGKILL after `grace`) and waits for it to exit.
    public func stop(grace: Duration = .seconds(5)) async {
        let child = lock.withLock { self.child }
        await child?.stop(grace: grace)
    }

    /// Kills the server with SIGKILL at once, like a crash, and waits (at most 2 s) until it is gone, so a
    /// `start()` that follows starts a new one; the port stays reserved for it.
    public func kill() {
        let child = lock.withLock { self.child }
        child?.kill()
        child?.waitForExitBlocking(timeout: .seconds(2))
    }

    /// Stops the server (if running) and starts it again on the same port; the data is gone.
    public func restart(timeout: Duration = .seconds(10)) async throws {
        await stop()
        try await start(timeout: timeout)
    }

    /// True when the server answers PING (after AUTH when it has a password).
    public func ping() -> Bool {
        var request = ""
        if let password { request += Self.command(["AUTH", password]) }
        request += Self.command(["PING"])
        let reply = LoopbackProbe.exchange(port: port, request: request, timeout: .milliseconds(500)) {
            $0.contains("+PONG") || $0.hasPrefix("-") || $0.contains("\r\n-")
        }
        return reply?.contains("+PONG") ?? false
    }

    /// One command in RESP array form.
    static func command(_ parts: [String]) -> String {
        var text = "*\(parts.count)\r\n"
        for part in parts { text += "$\(part.utf8.count)\r\n\(part)\r\n" }
        return text
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
