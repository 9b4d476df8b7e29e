import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started by the harness, with its output in files and its own process group.
///
/// Why not Foundation's `Process`: on Linux it learns that a child exited only when every holder of a
/// socket it hands to the child has closed it, so a child that leaves a daemon or a background job behind
/// (tmux, `sh -c 'x &'`) looks alive until that descendant exits, and a `Pipe` never reaches end-of-file.
/// This type spawns with `posix_spawn` and reaps with `waitpid` itself, so the exit is seen at once.
///
/// The child starts with stdin from `/dev/null`, stdout and stderr in files, no other inherited
/// descriptors, default signal handling, and as the leader of a new process group, so `stop()` and
/// `kill()` reach its own children (Celery pool processes) through that group, i.e. by this PID only.
/// Invariant: nothing here signals a process the harness did not start.
public final class BackgroundProcess: @unchecked Sendable {
    public let executable: String
    public let arguments: [String]
    /// Where stdout goes.
    public let outputFile: URL
    /// Where stderr goes (the same file as `outputFile` unless given separately).
    public let errorFile: URL
    public let pid: Int32
    /// `$XDG_STATE_HOME` for every child of this test run (a fresh directory per run).
    public static let scratchStateDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("retrytop-test-state-\(getpid())", isDirectory: true).path
    private let lock = NSLock()
    private var waitStatus: Int32?

    /// Starts `executable` (a path, or a name looked up on `PATH`) at once.
    ///
    /// `environment` is laid over the current environment; names in `unsetting` are removed from it.
    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        unsetting: Set<String> = [],
        currentDirectory: URL? = nil,
        outputFile: URL,
        errorFile: URL? = nil
    ) throws {
        guard let path = RequiredTool.which(executable) else {
            throw HarnessError("\(executable) not found on PATH: run scripts/setup.sh")
        }
        self.executable = path
        self.arguments = arguments
        self.outputFile = outputFile
        self.errorFile = errorFile ?? outputFile

        let fileManager = FileManager.default
        for file in Set([outputFile, self.errorFile]) {
            try fileManager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        }

        var merged = ProcessInfo.processInfo.environment
        for name in unsetting { merged.removeValue(forKey: name) }
        // Children never touch the user's own state (the default audit log and journals under
        // $XDG_STATE_HOME/retrytop): one scratch directory per test run unless the caller chooses one.
        merged["XDG_STATE_HOME"] = BackgroundProcess.scratchStateDirectory
        merged.merge(environment) { _, new in new }

        self.pid = try Spawn.run(
            path: path, arguments: [path] + arguments,
            environment: merged.map { "\($0.key)=\($0.value)" },
            currentDirectory: currentDirectory?.path,
            stdout: outputFile.path, stderr: self.errorFile.path)
    }

    deinit {
        if isRunning {
            kill()
            _ = waitForExitBlocking(timeout: .seconds(2))
        }
    }

    /// True until the process has exited (it is reaped on the first call that sees it gone).
    public var isRunning: Bool { lock.withLock { reap() == nil } }

    /// The exit status, or the signal number when a signal ended it; nil while running.
    public var exitStatus: Int32? {
        lock.withLock {
            guard let status = reap() else { return nil }
            return Self.signalled(status) ? status & 0x7f : (status >> 8) & 0xff
        }
    }

    /// True when a signal ended the process.
    public var wasSignalled: Bool { lock.withLock { reap().map(Self.signalled) ?? false } }

    /// stdout so far.
    public func output() -> String { Self.read(outputFile) }

    /// stderr so far (the same text as `output()` when both go to one file).
    public func errorOutput() -> String { Self.read(errorFile) }

    /// Waits until the process exits; false when `timeout` passed first.
    @discardableResult
    public func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Like `waitForExit`, blocking the calling thread; for deinit and other synchronous paths.
    @discardableResult
    public func waitForExitBlocking(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    /// Sends `signal` to the process itself (not its group).
    public func signal(_ signal: Int32) {
        if isRunning { Self.send(signal, to: pid) }
    }

    /// SIGTERM to the process, up to `grace` for it to exit, then SIGKILL to whatever is left of its group.
    ///
    /// Only the leader gets SIGTERM so that programs with a graceful shutdown (a Celery worker's warm
    /// shutdown) run it; SIGKILL goes to the whole group so no orphan survives.
    public func stop(grace: Duration = .seconds(10)) async {
        signal(SIGTERM)
        if !(await waitForExit(timeout: grace)) {
            kill()
            await waitForExit(timeout: .seconds(5))
        }
        // Leftover group members (children the leader did not take down) are ours too.
        if Self.send(0, to: -pid) == 0 {
            Self.send(SIGKILL, to: -pid)
        }
    }

    /// SIGKILL to the process group at once (a crash, as seen by the peers); does not wait.
    public func kill() {
        Self.send(SIGKILL, to: -pid)
        if isRunning { Self.send(SIGKILL, to: pid) }
    }

    /// The raw wait status once the child has exited; reaps it the first time. Call with `lock` held.
    private func reap() -> Int32? {
        if let waitStatus { return waitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            waitStatus = status
        } else if result < 0 && errno == ECHILD {
            waitStatus = 0  // someone else reaped it; it is gone either way
        }
        return waitStatus
    }

    private static func signalled(_ status: Int32) -> Bool {
        let low = status & 0x7f
        return low != 0 && low != 0x7f
    }

    /// The C `kill(2)`; a negative `pid` addresses a process group.
    @discardableResult
    static func send(_ signal: Int32, to pid: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.kill(pid, signal)
        #else
        return Darwin.kill(pid, signal)
        #endif
    }

    static func read(_ file: URL) -> String {
        guard let data = FileManager.default.contents(atPath: file.path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
