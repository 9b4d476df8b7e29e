import Foundation
import Launch

/// A child process started by the test harness: a ``ChildProcess`` (posix_spawn, output in files, its own
/// process group, stopped by its PID only) with the harness's rules and waits that suspend instead of block.
///
/// The harness's rules: the executable may be a name looked up on `PATH` (a missing one is a
/// `HarnessError` that says to run scripts/setup.sh), the environment is the test run's with changes laid
/// over it, and `$XDG_STATE_HOME` is a scratch directory per test run, so children never touch the user's
/// own audit log or journals. A child still running when this object goes away is killed.
public final class BackgroundProcess: ChildProcess, @unchecked Sendable {
    /// `$XDG_STATE_HOME` for every child of this test run (a fresh directory per run).
    public static let scratchStateDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("retrytop-test-state-\(getpid())", isDirectory: true).path

    /// Starts `executable` (a path, or a name looked up on `PATH`) at once.
    ///
    /// `environment` is laid over the current environment; names in `unsetting` are removed from it.
    /// stderr goes to `outputFile` unless `errorFile` is given.
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
        let stderrFile = errorFile ?? outputFile
        for file in Set([outputFile, stderrFile]) {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        }

        var merged = ProcessInfo.processInfo.environment
        for name in unsetting { merged.removeValue(forKey: name) }
        // Children never touch the user's own state (the default audit log and journals under
        // $XDG_STATE_HOME/retrytop): one scratch directory per test run unless the caller chooses one.
        merged["XDG_STATE_HOME"] = BackgroundProcess.scratchStateDirectory
        merged.merge(environment) { _, new in new }

        try super.init(
            path: path, arguments: arguments, environment: merged, currentDirectory: currentDirectory,
            outputFile: outputFile, errorFile: stderrFile)
    }

    deinit {
        if isRunning {
            kill()
            waitForExitBlocking(timeout: .seconds(2))
        }
    }

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

    /// SIGTERM to the process, up to `grace` for it to exit, then SIGKILL to whatever is left of its group:
    /// ``ChildProcess/terminate(grace:)`` with waits that suspend.
    public func stop(grace: Duration = .seconds(10)) async {
        signal(SIGTERM)
        if !(await waitForExit(timeout: grace)) {
            kill()
            await waitForExit(timeout: .seconds(5))
        }
        killLeftovers()
    }
}
