import Foundation
import RedisLink

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
        port = try BenchRedisServer.freePort()
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--daemonize", "no",
        ]
        if tls {
            let tlsPort = try BenchRedisServer.freePort()
            self.tlsPort = tlsPort
            let maker = try ChildProcess(executable: openssl, arguments: [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", "server.key", "-out", "server.pem",
            ], directory: directory)
            guard maker.wait(timeout: 60), maker.process.terminationStatus == 0 else {
                throw RedisError.io("openssl could not make the bench certificate: \(maker.errorOutput)")
            }
            arguments += [
                "--tls-port", String(tlsPort), "--tls-cert-file", directory.appendingPathComponent("server.pem").path,
                "--tls-key-file", directory.appendingPathComponent("server.key").path,
                "--tls-ca-cert-file", directory.appendingPathComponent("server.pem").path, "--tls-auth-clients", "no",
            ]
        } else {
            tlsPort = nil
        }
        child = try ChildProcess(executable: executable, arguments: arguments)
        let url = try BrokerURL(parsing: self.url)
        let deadline = MonotonicClock.now() + 10
        while true {
            let connection = RedisConnection(url: url, timeouts: .init(connect: 0.5, io: 1))
            if (try? connection.connect()) != nil, (try? connection.ping()) != nil { break }
            guard MonotonicClock.now() < deadline, child.isRunning else {
                throw RedisError.connectFailed(endpoint: "127.0.0.1:\(port)", message: "redis-server did not start: \(child.errorOutput)\(child.output)")
            }
            MonotonicClock.sleep(0.05)
        }
    }

    deinit {
        child.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    public var url: String { "redis://127.0.0.1:\(port)/0" }
    /// `rediss://127.0.0.1:<tlsPort>/0`, verified against the server's own certificate; nil without TLS.
    public var tlsURL: String? {
        tlsPort.map { "rediss://127.0.0.1:\($0)/0?ssl_cert_reqs=required&ssl_ca_certs=\(directory.appendingPathComponent("server.pem").path)" }
    }
    public var pid: Int32 { child.pid }

    public func stop() { child.stop() }

    /// A port nothing listens on right now (bind to port 0, read it back, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisError.io("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw RedisError.io("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
