import Foundation

/// A terminal of a fixed size that a test can type into and read, for end-to-end TUI tests.
///
/// Each session gets its own tmux server (`tmux -L <unique socket>`) with a private config: no status
/// line (the pane is exactly `width` x `height`) and `remain-on-exit on`, so the screen and the exit
/// status of a command that has finished can still be read. `kill()` (also run on deinit) ends that
/// server with `kill-server`, so nothing outlives the test.
///
/// The pane runs `command` in a subshell of a small wrapper that writes its exit status to a file:
/// tmux 3.3a now and then never reaps a pane's exited command (a zombie, `#{pane_dead_status}` empty),
/// so the status must not come from tmux.
///
/// tmux is launched through ``ProcessRunner`` (stdin `/dev/null`, output in files, exit seen by `waitpid`):
/// with Foundation's `Process` and a `Pipe`, `new-session` hangs forever because the tmux server inherits it.
public final class TmuxSession: @unchecked Sendable {
    public let socketName: String
    public let width: Int
    public let height: Int
    /// The command the pane runs (through `sh -c`).
    public let command: String
    private let tmux: String
    private let configFile: URL
    private let statusFile: URL
    private let lock = NSLock()
    private var killed = false

    /// Starts `command` in a new detached `width` x `height` session.
    ///
    /// `environment` is laid over the current one (with `TMUX` removed, so this works inside tmux too);
    /// `LANG` defaults to `C.UTF-8` so wide characters render. `terminal` is the pane's `TERM`
    /// (`tmux-256color` and `screen` both ship in Debian's ncurses-base).
    public init(
        command: String, width: Int = 120, height: Int = 30, environment: [String: String] = [:],
        currentDirectory: URL? = nil, terminal: String = "tmux-256color"
    ) async throws {
        self.tmux = try RequiredTool.tmux.path()
        self.command = command
        self.width = width
        self.height = height
        self.socketName = "retrytop-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.configFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socketName).conf")
        self.statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socketName).status")
        try """
            set -g status off
            set -g remain-on-exit on
            set -g history-limit 2000
            set -g escape-time 0
            set -g default-terminal "\(terminal)"
            """.write(to: configFile, atomically: true, encoding: .utf8)

        var env = ["LANG": "C.UTF-8"]
        env.merge(environment) { _, new in new }
        let result = try await ProcessRunner.run(
            tmux,
            ["-L", socketName, "-f", configFile.path, "new-session", "-d", "-s", "test",
             "-x", String(width), "-y", String(height), Self.wrapped(command, statusFile: statusFile)],
            environment: env, unsetting: ["TMUX", "TMUX_PANE"], currentDirectory: currentDirectory,
            timeout: .seconds(10))
        guard result.succeeded else {
            kill()
            throw HarnessError("tmux new-session failed (status \(result.status)): \(result.stderr)")
        }
    }

    deinit {
        kill()
    }

    /// Sends tmux key names or strings: `"q"`, `"Enter"`, `"Up"`, `"C-c"`, `"F1"`, `"Escape"`.
    public func sendKeys(_ keys: String...) async throws {
        try await tmuxCommand(["send-keys", "-t", "test"] + keys)
    }

    /// Types `text` literally (no key-name lookup).
    public func type(_ text: String) async throws {
        try await tmuxCommand(["send-keys", "-t", "test", "-l", text])
    }

    /// The visible screen as plain text, one line per row (trailing blanks trimmed by tmux).
    ///
    /// With `history`, the scrollback comes first. Use it after the command has exited: tmux 3.3 then
    /// writes "Pane is dead (status N, ...)" on the last row, scrolling the screen up one line.
    public func capture(history: Bool = false) async throws -> String {
        try await tmuxCommand(["capture-pane", "-p", "-t", "test"] + (history ? ["-S", "-"] : []))
    }

    /// Polls the screen until it contains `text`; returns the screen, or throws with the last screen seen.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await waitUntil(timeout: timeout, description: "\"\(text)\"") { $0.contains(text) }
    }

    /// Polls the screen until `predicate` accepts it; returns the screen, or throws with the last one seen.
    @discardableResult
    public func waitUntil(
        timeout: Duration = .seconds(10), description: String = "the expected screen",
        _ predicate: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let screen = try await capture()
            if predicate(screen) { return screen }
            if ContinuousClock.now >= deadline {
                throw HarnessError("tmux: \(description) not on screen after \(timeout); last screen:\n\(screen)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Resizes the window (the program gets SIGWINCH / `KEY_RESIZE`).
    public func resize(width: Int, height: Int) async throws {
        try await tmuxCommand(["resize-window", "-t", "test", "-x", String(width), "-y", String(height)])
    }

    /// The pane command's exit status once it has exited (128 + n after signal n); nil while it runs.
    public func exitStatus() async throws -> Int32? {
        guard let data = FileManager.default.contents(atPath: statusFile.path) else { return nil }
        return Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `command` in a subshell, then its status into `statusFile`. The wrapper traps (rather than
    /// ignores) the usual signals so that it survives a Ctrl-C sent to the pane while the command, whose
    /// subshell resets trapped signals to their defaults, sees them as usual.
    static func wrapped(_ command: String, statusFile: URL) -> String {
        "trap : INT TERM HUP QUIT; (\n\(command)\n); printf '%s' \"$?\" > '\(statusFile.path)'"
    }

    /// Waits until the pane's command exits and returns its status.
    public func waitForExit(timeout: Duration = .seconds(10)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = try await exitStatus() { return status }
            if ContinuousClock.now >= deadline {
                throw HarnessError("tmux: `\(command)` still running after \(timeout); screen:\n\(try await capture())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Runs one tmux command against this session's server and returns its stdout.
    @discardableResult
    public func tmuxCommand(_ arguments: [String]) async throws -> String {
        let result = try await ProcessRunner.run(
            tmux, ["-L", socketName] + arguments, unsetting: ["TMUX", "TMUX_PANE"], timeout: .seconds(10))
        return try result.check().stdout
    }

    /// Ends this session's tmux server (and with it the pane's command). Safe to call twice.
    public func kill() {
        let alreadyKilled = lock.withLock {
            defer { killed = true }
            return killed
        }
        if alreadyKilled { return }
        let devNull = URL(fileURLWithPath: "/dev/null")
        if let client = try? BackgroundProcess(
            executable: tmux, arguments: ["-L", socketName, "kill-server"], unsetting: ["TMUX", "TMUX_PANE"],
            outputFile: devNull)
        {
            if !client.waitForExitBlocking(timeout: .seconds(5)) { client.kill() }
        }
        try? FileManager.default.removeItem(at: configFile)
        try? FileManager.default.removeItem(at: statusFile)
        // tmux leaves its socket file behind; it lives in $TMUX_TMPDIR (or /tmp)/tmux-<uid>/.
        let socketDirectory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(socketDirectory)/tmux-\(getuid())/\(socketName)")
    }
}
