import Foundation
import Glibc
import Testing
import TestSupport

/// The real `retrytop` binary in tmux, against redis-server and a real Celery worker.
@Suite(.serialized) struct DashboardEndToEndTests {
    /// The first "m:ss" countdown on the row of `name` in the Retrying pane, in seconds.
    static func countdown(of name: String, in screen: String) -> Int? {
        guard let line = screen.split(separator: "\n").first(where: { $0.contains(name) && $0.contains("▕") }) else { return nil }
        guard let match = line.firstMatch(of: /(\d+):(\d\d)/) else { return nil }
        return Int(match.output.1)! * 60 + Int(match.output.2)!
    }

    @Test(.timeLimit(.minutes(3))) func retryingTaskCountsDownDrillsInFiltersRevokesAndQuits() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "e2e", concurrency: 2)
        defer { worker.kill() }
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-e2e-audit-\(UUID().uuidString).log")
        let binary = RepoPaths.retrytopBinary.path
        let tmux = try await TmuxSession(
            command: "'\(binary)' --broker '\(redis.url)' --audit-log '\(audit.path)'", width: 140, height: 40)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(15))

        let celery = CeleryCall(brokerURL: redis.url)
        // Fails every attempt and waits 20 s between attempts: it sits in backoff for the whole test.
        let slow = try await celery.sendOne("demo.slow_fixed_retry", args: "[9]")
        _ = try await celery.sendOne("demo.add", args: "[1, 2]")

        let first = try await tmux.waitUntil(timeout: .seconds(20), description: "slow_fixed_retry counting down") {
            Self.countdown(of: "slow_fixed_retry", in: $0) != nil
        }
        let before = try #require(Self.countdown(of: "slow_fixed_retry", in: first))
        try await Task.sleep(for: .seconds(3))
        let second = try await tmux.capture()
        let after = try #require(Self.countdown(of: "slow_fixed_retry", in: second), "\(second)")
        #expect(after < before, "countdown went from \(before) to \(after)")
        #expect(before - after >= 2 && before - after <= 4)
        #expect(before <= 20)

        // Enter on the selected retrying task: its attempt history with the exception Celery raised.
        try await tmux.sendKeys("Enter")
        let detail = try await tmux.waitFor("FlakyError: slow_fixed_retry attempt 1 of 10")
        #expect(detail.contains(slow))
        #expect(detail.contains("RETRY"))
        #expect(detail.contains("demo.slow_fixed_retry"))
        try await tmux.sendKeys("Escape")
        try await tmux.waitUntil(description: "back on the overview") { Self.countdown(of: "slow_fixed_retry", in: $0) != nil }

        // The filter narrows the list: a name that matches nothing empties the retrying pane.
        try await tmux.sendKeys("/")
        try await tmux.type("name:add")
        try await tmux.sendKeys("Enter")
        let filtered = try await tmux.waitUntil(description: "the retrying pane filtered empty") { screen in
            !screen.split(separator: "\n").contains { $0.contains("slow_fixed_retry") && $0.contains("▕") }
        }
        #expect(filtered.contains("name:add"))
        try await tmux.sendKeys("Escape")
        try await tmux.waitUntil(description: "the filter cleared") { Self.countdown(of: "slow_fixed_retry", in: $0) != nil }

        // Revoke through the confirmation dialog: n cancels, y sends.
        try await tmux.sendKeys("x")
        let dialog = try await tmux.waitFor("Revoke 1 task", timeout: .seconds(5))
        #expect(dialog.contains("1 × demo.slow_fixed_retry"))
        #expect(dialog.contains("waiting in backoff will not run again"))
        try await tmux.sendKeys("n")
        try await tmux.waitUntil(description: "dialog closed") { !$0.contains("Revoke 1 task") }
        #expect(!FileManager.default.fileExists(atPath: audit.path), "cancel must send nothing")
        try await tmux.sendKeys("x")
        try await tmux.waitFor("Revoke 1 task", timeout: .seconds(5))
        try await tmux.sendKeys("y")
        _ = try await worker.waitForLog("Tasks flagged as revoked: \(slow)", timeout: .seconds(15))
        // The audit line is written once the revoke's reply window closes.
        var auditText = ""
        for _ in 0..<50 where !auditText.contains(slow) {
            auditText = (try? String(contentsOf: audit, encoding: .utf8)) ?? ""
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(auditText.contains(slow) && auditText.contains("revoke"), "audit log: \(auditText)")
        try await tmux.waitFor("revoke sent", timeout: .seconds(5))

        try await tmux.sendKeys("q")
        let status = try await tmux.waitForExit(timeout: .seconds(10))
        #expect(status == 0)
        let alternate = try await tmux.tmuxCommand(["display-message", "-p", "-t", "test", "#{alternate_on}"])
        #expect(alternate.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the terminal left the alternate screen")
        let restored = try await tmux.capture()
        #expect(!restored.contains("Retrying"), "the dashboard is gone from the screen:\n\(restored)")
    }

    @Test(.timeLimit(.minutes(2))) func readOnlyDashboardOffersNoActions() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let binary = RepoPaths.retrytopBinary.path
        let tmux = try await TmuxSession(command: "'\(binary)' --broker '\(redis.url)' --read-only", width: 120, height: 36)
        defer { tmux.kill() }
        let screen = try await tmux.waitFor("READ-ONLY", timeout: .seconds(15))
        #expect(!screen.contains("x revoke"))
        try await tmux.sendKeys("?")
        var help = try await tmux.waitFor("read-only: actions disabled", timeout: .seconds(5))
        // Help opens with the legend of the focused list's columns; the keys follow: scroll to the disabled ones.
        for _ in 0..<60 where !(help.contains("(disabled: --read-only)") && help.contains("revoke the marked tasks")) {
            try await tmux.sendKeys("j")
            try await Task.sleep(for: .milliseconds(60))
            help = try await tmux.capture()
        }
        #expect(help.contains("(disabled: --read-only)") && help.contains("revoke the marked tasks"), "\(help)")
        try await tmux.sendKeys("Escape")
        try await tmux.waitUntil(description: "help closed") { !$0.contains("disabled") }
        try await tmux.sendKeys("q")
        #expect(try await tmux.waitForExit() == 0)
    }

    /// Closing the window (here: killing the tmux server, so the pty hangs up while the pane's shell
    /// ignores SIGHUP) must end the dashboard, not leave it spinning on reads that return at once.
    @Test(.timeLimit(.minutes(2))) func closingTheTerminalStopsTheDashboard() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let binary = RepoPaths.retrytopBinary.path
        let tmux = try await TmuxSession(command: "'\(binary)' --broker '\(redis.url)' --read-only", width: 100, height: 30)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(15))
        let shell = try await tmux.tmuxCommand(["display-message", "-p", "-t", "test", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try await ProcessRunner.run("pgrep", ["-P", shell])
        let dashboard = try #require(children.stdout.split(separator: "\n").compactMap { Int32($0) }.first, "no child of \(shell)")
        #expect(Self.isAlive(dashboard))
        tmux.kill()
        var alive = true
        for _ in 0..<50 where alive {
            try await Task.sleep(for: .milliseconds(100))
            alive = Self.isAlive(dashboard)
        }
        if alive { Glibc.kill(dashboard, SIGKILL) }
        #expect(!alive, "retrytop (pid \(dashboard)) still running 5 s after its terminal closed")
    }

    /// Running (not gone and not a zombie waiting to be reaped).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }
}
