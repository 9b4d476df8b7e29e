import Foundation
import Launch
import RedisLink
import Threading

/// A private `redis-server` on a free 127.0.0.1 port for one benchmark run, stopped by its pid.
///
/// Default pub/sub output buffer limits (32 MB hard, 8 MB for 60 s) are kept on purpose: they are what
/// drops a slow subscriber in production, and the benchmark is about surviving them.
/// With `tls` it also listens for TLS on `tlsPort`, with a self-signed certificate for 127.0.0.1 made by the
/// `openssl` CLI into its directory (the TLS rung: the same storm through `rediss://`).
public final class BenchRedisServer: @unchecked Sendable {
    public let port: Int
    /// The TLS port, nil without `tls`.
    public let tlsPort: Int?
    private let child: ChildProcess
    private let directory: URL

    public init(executable: String = "/usr/bin/redis-server", tls: Bool = false, openssl: String = "/usr/bin/openssl") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-bench-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.next()
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--daemonize", "no",
        ]
        if tls {
            let tlsPort = try FreePort.next()
            self.tlsPort = tlsPort
            let maker = try ChildProcess(path: openssl, arguments: [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", "server.key", "-out", "server.pem",
            ], currentDirectory: directory)
            guard maker.waitForExitBlocking(timeout: .seconds(60)), maker.exitStatus == 0, !maker.wasSignalled else {
                throw RedisError.io("openssl could not make the bench certificate: \(maker.errorOutput())")
            }
            arguments += [
                "--tls-port", String(tlsPort), "--tls-cert-file", directory.appendingPathComponent("server.pem").path,
                "--tls-key-file", directory.appendingPathComponent("server.key").path,
                "--tls-ca-cert-file", directory.appendingPathComponent("server.pem").path, "--tls-auth-clients", "no",
            ]
        } else {
            tlsPort = nil
        }
        child = try ChildProcess(path: executable, arguments: arguments)
        let url = try BrokerURL(parsing: self.url)
        let deadline = MonotonicClock.now() + 10
        while true {
            let connection = RedisConnection(url: url, timeouts: .init(connect: 0.5, io: 1))
            if (try? connection.connect()) != nil, (try? connection.ping()) != nil { break }
            guard MonotonicClock.now() < deadline, child.isRunning else {
                throw RedisError.connectFailed(endpoint: "127.0.0.1:\(port)", message: "redis-server did not start: \(child.errorOutput())\(child.output())")
            }
            MonotonicClock.sleep(0.05)
        }
    }

    deinit {
        child.terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    public var url: String { "redis://127.0.0.1:\(port)/0" }
    /// `rediss://127.0.0.1:<tlsPort>/0`, verified against the server's own certificate; nil without TLS.
    public var tlsURL: String? {
        tlsPort.map { "rediss://127.0.0.1:\($0)/0?ssl_cert_reqs=required&ssl_ca_certs=\(directory.appendingPathComponent("server.pem").path)" }
    }
    public var pid: Int32 { child.pid }

    public func stop() { child.terminate() }
}
