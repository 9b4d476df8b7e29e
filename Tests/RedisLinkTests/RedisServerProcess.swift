import Foundation
import RedisLink
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway `redis-server` on a free loopback port, for adapter tests.
///
/// Why: the subscriber and control client are only trustworthy against a real server (reconnects,
/// AUTH, binary-safe keys). Persistence is off, so nothing is written to disk. The server is killed by
/// PID (never by name) in `stop()` and on deinit. If redis-server is missing the tests fail with a
/// clear message instead of skipping, so a CI run cannot pass vacuously.
final class RedisServerProcess: @unchecked Sendable {
    static let executable = "/usr/bin/redis-server"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    let extraArguments: [String]
    private let lock = NSLock()
    private var process: Process?

    /// Starts a server on a free port (or `port`) and waits until it answers.
    init(port: Int? = nil, extraArguments: [String] = []) throws {
        self.port = try port ?? FreePort.next()
        self.extraArguments = extraArguments
        try start()
    }

    deinit {
        stop()
    }

    /// The URL of db 0 (or `db`), with an optional password/user.
    func url(db: Int = 0, username: String? = nil, password: String? = nil) -> BrokerURL {
        BrokerURL(endpoint: .tcp(host: "127.0.0.1", port: port), db: db, username: username, password: password)
    }

    /// Launches redis-server (again, on the same port after `stop()`) and waits until it accepts connections.
    func start() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            let ci = ProcessInfo.processInfo.environment["CI"] == "true" ? " (CI=true)" : ""
            throw Failure(description:
                "redis-server not found at \(Self.executable)\(ci): install it (apt-get install redis-server); "
                + "the Redis adapter tests fail instead of skipping")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        lock.lock()
        self.process = process
        lock.unlock()
        try waitUntilReady()
    }

    /// Kills the server with SIGKILL (by PID) and waits for it to exit; a crash as the tests want it.
    func stop() {
        lock.lock()
        let process = self.process
        self.process = nil
        lock.unlock()
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func waitUntilReady() throws {
        let probe = RedisConnection(url: url(), timeouts: .init(connect: 0.5, io: 1))
        let deadline = Date().addingTimeInterval(10)
        var lastError = ""
        while Date() < deadline {
            do {
                try probe.connect()
                try probe.ping()
                probe.close()
                return
            } catch RedisError.authenticationRequired {
                return  // up, and wants a password
            } catch {
                lastError = String(describing: error)
            }
            usleep(20_000)
        }
        stop()
        throw Failure(description: "redis-server on port \(port) did not answer PING within 10 s: \(lastError)")
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass; returns the last result.
func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// A connected command connection to a test server.
func connected(_ url: BrokerURL) throws -> RedisConnection {
    let connection = RedisConnection(url: url, timeouts: .init(connect: 1, io: 5))
    try connection.connect()
    return connection
}
