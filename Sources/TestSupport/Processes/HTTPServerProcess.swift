import Foundation
import Launch

/// A throwaway HTTP server (`python -m http.server`) on a free 127.0.0.1 port: something that listens
/// where a broker is expected but does not speak Redis.
///
/// It serves an empty temporary directory, deleted with this object; the server is killed by its PID
/// when this object goes away (or on `kill()`).
public final class HTTPServerProcess: @unchecked Sendable {
    public let port: Int
    private let directory: URL
    private let child: BackgroundProcess

    /// Starts a server and waits (up to `timeout`) until it accepts connections.
    public init(timeout: Duration = .seconds(10)) async throws {
        port = try FreePort.next()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        child = try BackgroundProcess(
            executable: try RequiredTool.python.path(), arguments: ["-m", "http.server", "--bind", "127.0.0.1", String(port)],
            currentDirectory: directory,
            outputFile: directory.appendingPathComponent("http.out"), errorFile: directory.appendingPathComponent("http.err"))
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, child.isRunning {
            if LoopbackProbe.exchange(port: port, request: "HEAD / HTTP/1.0\r\n\r\n", timeout: .milliseconds(500)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("nothing listens on 127.0.0.1:\(port) after \(timeout): \(child.errorOutput())")
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Kills the server (SIGKILL, by its PID) and waits until it is gone.
    public func kill() {
        child.kill()
        child.waitForExitBlocking(timeout: .seconds(2))
    }
}
