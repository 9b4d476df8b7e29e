import Foundation
import Testing
import TestSupport

/// The worker view and the mouse through the real binary in tmux, against redis-server and a real
/// Celery worker.
///
/// How the mouse is driven: `send-keys -l` writes an xterm SGR mouse report (`ESC [ < 0 ; X ; Y M`
/// press, `... m` release, 1-based cells) into the pane as if the terminal had sent it; retrytop
/// decodes it itself (see `NCursesKeys`). `send-keys -M` needs a real client's mouse event, which a
/// detached test session has none of. Whether the dashboard turned mouse reporting on is read back
/// with tmux's `#{mouse_any_flag}` (the pane's mouse modes, 1 while any is on).
@Suite(.serialized) struct WorkerViewMouseTests {
    /// An SGR press and release at the 0-based cell (`x`, `y`).
    static func click(x: Int, y: Int) -> String {
        "\u{1b}[<0;\(x + 1);\(y + 1)M\u{1b}[<0;\(x + 1);\(y + 1)m"
    }

    @Test(.timeLimit(.minutes(2))) func doubleClickOnAWorkerOpensItsViewWithPoolAndQueues() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "wv", queues: ["celery", "wv-extra"], concurrency: 3)
        defer { worker.kill() }
        let binary = RepoPaths.retrytopBinary.path
        let tmux = try await TmuxSession(command: "'\(binary)' --broker '\(redis.url)' --read-only", width: 120, height: 36)
        defer { tmux.kill() }
        let overview = try await tmux.waitUntil(timeout: .seconds(20), description: "the worker online in the Workers pane") {
            $0.contains("● \(worker.nodeName)")
        }
        #expect(try await tmux.tmuxCommand(["display-message", "-p", "-t", "test", "#{mouse_any_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        let lines = overview.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.firstIndex { $0.contains("● \(worker.nodeName)") })
        let column = try #require(lines[row].range(of: worker.nodeName)).lowerBound.utf16Offset(in: lines[row])
        try await tmux.type(Self.click(x: column, y: row) + Self.click(x: column, y: row))
        let view = try await tmux.waitUntil(timeout: .seconds(10), description: "the worker view with the inspect answer") {
            $0.contains("pool prefork") && $0.contains("queues celery, wv-extra")
        }
        #expect(view.contains("Worker \(worker.nodeName)"))
        #expect(view.contains("concurrency 3"))
        #expect(view.contains("Active 0"))
        // The wheel and a click on the overview again: Esc back, wheel over the Workers pane keeps it focused.
        try await tmux.sendKeys("Escape")
        try await tmux.waitFor("Retrying")
        try await tmux.sendKeys("q")
        _ = try await tmux.waitForExit()
        #expect(try await tmux.tmuxCommand(["display-message", "-p", "-t", "test", "#{mouse_any_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0",
                "mouse reporting must be off once retrytop has quit")
    }

    @Test(.timeLimit(.minutes(1))) func noMouseLeavesTheTerminalsSelectionAlone() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let binary = RepoPaths.retrytopBinary.path
        let tmux = try await TmuxSession(command: "'\(binary)' --broker '\(redis.url)' --no-mouse", width: 120, height: 36)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(15))
        #expect(try await tmux.tmuxCommand(["display-message", "-p", "-t", "test", "#{mouse_any_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        try await tmux.sendKeys("q")
        _ = try await tmux.waitForExit()
    }
}
