import Foundation

/// A process the benchmark starts (redis-server, the firehose, the Celery peer), with its output in files.
///
/// Stopped by its own pid only. Output goes to files, not pipes, so a chatty child can never block on a
/// full pipe while the benchmark is busy measuring.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    public let stdoutFile: URL
    public let stderrFile: URL

    public init(executable: String, arguments: [String], directory: URL? = nil) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-bench-\(UUID().uuidString)")
        stdoutFile = base.appendingPathExtension("out")
        stderrFile = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: stdoutFile)
        try? FileManager.default.removeItem(at: stderrFile)
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Waits up to `timeout` seconds for the process to exit; true if it did.
    @discardableResult
    public func wait(timeout: Double) -> Bool {
        let deadline = MonotonicClock.now() + timeout
        while process.isRunning, MonotonicClock.now() < deadline { MonotonicClock.sleep(0.01) }
        return !process.isRunning
    }

    /// SIGTERM, then SIGKILL after `grace` seconds if it is still running.
    public func stop(grace: Double = 3) {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        if !wait(timeout: grace) {
            kill(pid, SIGKILL)
            wait(timeout: 2)
        }
    }

    public var output: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    public var errorOutput: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }
}
