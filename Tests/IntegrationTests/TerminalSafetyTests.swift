import Foundation
import Launch
import Glibc
import Testing
import TestSupport

/// The real `retrytop` binary in tmux: what the terminal looks like after a crash, a missing or
/// unusable `TERM`, a non-UTF-8 locale, and the exit status after SIGINT and SIGTERM.
///
/// The dashboard runs against a loopback port where nothing listens (it starts and reconnects), so
/// no Redis is needed; tmux is required (`RequiredTool`), and its absence fails the test.
@Suite(.serialized) struct TerminalSafetyTests {
    static func unreachableBroker() throws -> String { "redis://127.0.0.1:\(try FreePort.next())/0" }

    static func dashboard(_ prefix: String = "", arguments: String = "") throws -> String {
        reportingStatus("\(prefix)'\(RepoPaths.retrytopBinary.path)' --broker '\(try unreachableBroker())' \(arguments)")
    }

    /// `command`, then its status printed as `EXIT=n`, then a long sleep: the pane stays alive, so
    /// its modes are those the command left (tmux changes a dead pane's).
    static func reportingStatus(_ command: String) -> String {
        "\(command); echo EXIT=$?; exec sleep 120"
    }

    /// The `EXIT=n` status once it is on screen.
    static func exitStatus(_ tmux: TmuxSession, timeout: Duration = .seconds(10)) async throws -> Int32 {
        let screen = try await tmux.waitUntil(timeout: timeout, description: "EXIT=") { $0.contains("EXIT=") }
        let match = try #require(screen.firstMatch(of: /EXIT=(\d+)/))
        return try #require(Int32(match.output.1))
    }

    /// A crash after the first frame (test-only hook): the pane is back on the normal screen with the
    /// cursor visible, the runtime's message is readable there, and the process died of the signal.
    @Test(.timeLimit(.minutes(1))) func crashRestoresTheTerminalBeforeTheMessage() async throws {
        let tmux = try await TmuxSession(
            command: try Self.dashboard("RETRYTOP_TEST_CRASH=1 SWIFT_BACKTRACE=enable=no "), width: 100, height: 30)
        defer { tmux.kill() }
        let status = try await Self.exitStatus(tmux, timeout: .seconds(20))
        #expect(status > 128 && status != 128 + SIGINT && status != 128 + SIGTERM, "died of a crash signal, status \(status)")
        let modes = try await Self.settledModes(tmux)
        #expect(modes == "0 1", "alternate screen off, cursor on: \(modes)")
        let screen = try await Self.joinedCapture(tmux)
        // The runtime's own line (the shell's "Illegal instruction ..." report also names the variable).
        #expect(screen.contains("Fatal error: RETRYTOP_TEST_CRASH=1: crashing after the first frame"),
                "the crash message is readable:\n\(screen)")
        #expect(!screen.contains("Retrying"), "the dashboard is gone from the screen:\n\(screen)")
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        ("TERM=dumb ", "TERM='dumb' cannot draw the dashboard"), ("env -u TERM ", "TERM is not set"),
        ("TERM=no-such-terminal ", "TERM='no-such-terminal' cannot draw the dashboard"),
    ])
    func unusableTermGetsAClearMessage(prefix: String, message: String) async throws {
        let tmux = try await TmuxSession(command: try Self.dashboard(prefix), width: 120, height: 30)
        defer { tmux.kill() }
        let status = try await Self.exitStatus(tmux)
        #expect(status != 0)
        let screen = try await Self.joinedCapture(tmux)
        #expect(screen.contains(message), "\(screen)")
        #expect(screen.contains("retrytop snapshot") && screen.contains("TERM=xterm-256color"), "\(screen)")
        #expect(!screen.contains("Error opening terminal"), "\(screen)")
    }

    /// `LC_ALL=C` says the terminal takes no UTF-8: ASCII borders and markers only.
    @Test(.timeLimit(.minutes(1))) func nonUTF8LocaleDrawsASCII() async throws {
        let tmux = try await TmuxSession(command: try Self.dashboard("LC_ALL=C "), width: 120, height: 30)
        defer { tmux.kill() }
        let screen = try await tmux.waitFor("Retrying", timeout: .seconds(15))
        #expect(screen.contains("+ Retrying"), "\(screen)")
        #expect(!screen.unicodeScalars.contains { (0x2500...0x259F).contains($0.value) }, "box or block characters:\n\(screen)")
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(screen)")
        try await tmux.sendKeys("q")
        #expect(try await Self.exitStatus(tmux) == 0)
    }

    @Test(.timeLimit(.minutes(1))) func dashboardExits130OnSIGINTAnd143OnSIGTERM() async throws {
        let interrupted = try await TmuxSession(command: try Self.dashboard(), width: 100, height: 30)
        defer { interrupted.kill() }
        try await interrupted.waitFor("Retrying", timeout: .seconds(15))
        try await interrupted.sendKeys("C-c")
        #expect(try await Self.exitStatus(interrupted) == 130)

        let terminated = try await TmuxSession(command: try Self.dashboard(), width: 100, height: 30)
        defer { terminated.kill() }
        try await terminated.waitFor("Retrying", timeout: .seconds(15))
        try await Self.signalPaneCommand(of: terminated, SIGTERM)
        #expect(try await Self.exitStatus(terminated) == 143)
        #expect(try await Self.settledModes(terminated) == "0 1", "alternate screen off, cursor on")
    }

    @Test(.timeLimit(.minutes(1))) func eventsExits130OnSIGINTAnd143OnSIGTERM() async throws {
        // A real broker: `events` that never connects exits at once with its own status (HeadlessExitCodeTests).
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let command = Self.reportingStatus("'\(RepoPaths.retrytopBinary.path)' events --broker '\(redis.url)'")
        let interrupted = try await TmuxSession(command: command, width: 100, height: 10)
        defer { interrupted.kill() }
        try await interrupted.waitFor("listening", timeout: .seconds(10))
        try await interrupted.sendKeys("C-c")
        #expect(try await Self.exitStatus(interrupted) == 130)

        let terminated = try await TmuxSession(command: command, width: 100, height: 10)
        defer { terminated.kill() }
        try await terminated.waitFor("listening", timeout: .seconds(10))
        try await Self.signalPaneCommand(of: terminated, SIGTERM)
        #expect(try await Self.exitStatus(terminated) == 143)
    }

    /// "alternate_on cursor_flag" of the pane once it reads "0 1", or what it reads after 3 s.
    static func settledModes(_ tmux: TmuxSession) async throws -> String {
        var modes = ""
        for _ in 0..<30 {
            modes = try await tmux.tmuxCommand(["display-message", "-p", "-t", "test", "#{alternate_on} #{cursor_flag}"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if modes == "0 1" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return modes
    }

    /// The whole pane with its history, wrapped lines joined.
    static func joinedCapture(_ tmux: TmuxSession) async throws -> String {
        try await tmux.tmuxCommand(["capture-pane", "-p", "-J", "-S", "-", "-t", "test"])
    }

    /// Sends `signal` to every process named retrytop in the pane (its shell's descendants).
    static func signalPaneCommand(of tmux: TmuxSession, _ signal: Int32) async throws {
        let pids = descendants(of: try await paneShell(of: tmux)).filter { pid in
            (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("retrytop") == true
        }
        try #require(!pids.isEmpty, "no retrytop process in the pane")
        for pid in pids { Glibc.kill(pid, signal) }
    }

    static func paneShell(of tmux: TmuxSession) async throws -> Int32 {
        let result = try await tmux.tmuxCommand(["display-message", "-p", "-t", "test", "#{pane_pid}"])
        return try #require(Int32(result.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Every process under `pid`, read from /proc.
    static func descendants(of pid: Int32) -> [Int32] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var parents: [Int32: Int32] = [:]
        for entry in all {
            guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[child] = parent }
        }
        var found: [Int32] = []
        var frontier = [pid]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }
}
