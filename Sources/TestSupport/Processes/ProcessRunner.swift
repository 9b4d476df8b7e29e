import Foundation

/// Runs a command to completion with a timeout and returns its stdout, stderr and status.
///
/// Output goes to temporary files, never a `Pipe` (see ``BackgroundProcess``), so a command that leaves a
/// daemon behind (for example `tmux new-session -d`) returns as soon as the command itself exits.
/// On timeout the command gets SIGTERM, then its process group SIGKILL.
public enum ProcessRunner {
    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments`.
    ///
    /// `environment` is laid over the current environment; names in `unsetting` are removed.
    public static func run(
        _ executable: String,
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        unsetting: Set<String> = [],
        currentDirectory: URL? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> ProcessResult {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("retrytop-run-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try BackgroundProcess(
            executable: executable, arguments: arguments, environment: environment, unsetting: unsetting,
            currentDirectory: currentDirectory,
            outputFile: directory.appendingPathComponent("stdout"),
            errorFile: directory.appendingPathComponent("stderr"))
        let finished = await child.waitForExit(timeout: timeout)
        if !finished { await child.stop(grace: .seconds(2)) }
        return ProcessResult(
            command: [child.executable] + arguments,
            status: child.exitStatus ?? -1,
            stdout: child.output(),
            stderr: child.errorOutput(),
            timedOut: !finished)
    }
}
