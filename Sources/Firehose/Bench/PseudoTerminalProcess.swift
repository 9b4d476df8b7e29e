import Foundation
import Launch
import Threading

/// A command run in a pseudo-terminal of a fixed size, through util-linux `script`, for benchmarks of
/// the dashboard as users run it (ncurses on a real tty, not a pipe).
///
/// Why `script`: it gives the command a pty whose size `stty` sets, copies the screen output to a
/// file the benchmark ignores, and needs no terminal of its own (stdin may be /dev/null). The command
/// `exec`s from the shell, so its pid is the shell's: `script`'s only child.
/// Stopped by its own pids only (the command's, then `script`'s).
public final class PseudoTerminalProcess {
    public let script: ChildProcess

    public init(executable: String, arguments: [String], width: Int, height: Int, scriptPath: String = "/usr/bin/script") throws {
        let command = "export TERM=xterm-256color; stty cols \(width) rows \(height); exec "
            + ([executable] + arguments).map(Self.shellQuoted).joined(separator: " ")
        script = try ChildProcess(path: scriptPath, arguments: ["-qfec", command, "/dev/null"])
    }

    deinit {
        stop()
    }

    /// The command's pid once `script` has started it (waits up to `timeout` seconds); nil if it has not.
    public func commandPID(timeout: Double = 10) -> Int32? {
        let deadline = MonotonicClock.now() + timeout
        while MonotonicClock.now() < deadline, script.isRunning {
            if let pid = ProcessCPU.children(of: script.pid).first { return pid }
            MonotonicClock.sleep(0.01)
        }
        return nil
    }

    /// SIGTERM to the command (the dashboard restores the terminal and leaves), then stops `script`.
    public func stop() {
        if script.isRunning, let pid = ProcessCPU.children(of: script.pid).first { kill(pid, SIGTERM) }
        if !script.waitForExitBlocking(timeout: .seconds(5)) { script.terminate() }
    }

    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
