import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, its output in files, stopped and reaped by its own PID.
///
/// Why not Foundation's `Process`: on Linux it learns that a child exited only when every holder of a
/// socket it hands to the child has closed it, so a child that leaves a daemon or a background job behind
/// (tmux, `sh -c 'x &'`) looks alive until that descendant exits, and a `Pipe` never reaches end-of-file.
/// This type spawns with `posix_spawn` and reaps with `waitpid` itself, so the exit is seen at once.
/// Output goes to files, never pipes, so a chatty child cannot block on a full pipe while its parent is
/// busy (measuring, in the benchmark).
///
/// The child starts with stdin from `/dev/null`, stdout and stderr in files, no other inherited
/// descriptors, default signal handling, and as the leader of a new process group, so `terminate()` and
/// `kill()` reach its own children (Celery pool processes) through that group, i.e. by this PID only.
/// Output files the caller did not name are temporary and removed with this object.
/// Invariant: nothing here signals a process it did not start.
///
/// The one launcher of the project: the benchmark's children (its redis-server, the firehose child, the
/// Celery peer) are these, and the test harness's `BackgroundProcess` builds on it.
open class ChildProcess: @unchecked Sendable {
    /// The executable's path.
    public let executable: String
    public let arguments: [String]
    /// Where stdout goes.
    public let outputFile: URL
    /// Where stderr goes.
    public let errorFile: URL
    public let pid: Int32
    private let temporaryFiles: [URL]
    private let lock = NSLock()
    private var waitStatus: Int32?

    /// Starts `path` at once.
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; nil passes this process's own.
    ///   - outputFile: where stdout goes; nil makes a temporary file (removed with this object).
    ///   - errorFile: where stderr goes (it may be `outputFile`); nil makes a temporary file.
    public init(
        path: String, arguments: [String] = [], environment: [String: String]? = nil, currentDirectory: URL? = nil,
        outputFile: URL? = nil, errorFile: URL? = nil
    ) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-child-\(UUID().uuidString)")
        let output = outputFile ?? base.appendingPathExtension("out")
        let error = errorFile ?? base.appendingPathExtension("err")
        self.executable = path
        self.arguments = arguments
        self.outputFile = output
        self.errorFile = error
        self.temporaryFiles = (outputFile == nil ? [output] : []) + (errorFile == nil ? [error] : [])
        self.pid = try Spawn.run(
            path: path, arguments: [path] + arguments,
            environment: (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" },
            currentDirectory: currentDirectory?.path,
            stdout: output.path, stderr: error.path)
    }

    deinit {
        if isRunning { terminate(grace: .seconds(3)) }
        for file in temporaryFiles { try? FileManager.default.removeItem(at: file) }
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

    /// Waits until the process exits, blocking the calling thread; false when `timeout` passed first.
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

    /// SIGTERM to the process, up to `grace` for it to exit (blocking), then SIGKILL to what is left of its group.
    ///
    /// Only the leader gets SIGTERM so that programs with a graceful shutdown run it; SIGKILL goes to the
    /// whole group so no orphan survives.
    public func terminate(grace: Duration = .seconds(3)) {
        signal(SIGTERM)
        if !waitForExitBlocking(timeout: grace) {
            kill()
            waitForExitBlocking(timeout: .seconds(2))
        }
        killLeftovers()
    }

    /// SIGKILL to the process group at once (a crash, as seen by the peers); does not wait.
    public func kill() {
        Self.send(SIGKILL, to: -pid)
        if isRunning { Self.send(SIGKILL, to: pid) }
    }

    /// SIGKILL to members of the process group still alive after the leader exited (children it did not
    /// take down are ours too).
    public func killLeftovers() {
        if Self.send(0, to: -pid) == 0 {
            Self.send(SIGKILL, to: -pid)
        }
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
    public static func send(_ signal: Int32, to pid: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.kill(pid, signal)
        #else
        return Darwin.kill(pid, signal)
        #endif
    }

    /// The text of `file`, empty when it does not exist (yet).
    public static func read(_ file: URL) -> String {
        guard let data = FileManager.default.contents(atPath: file.path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
