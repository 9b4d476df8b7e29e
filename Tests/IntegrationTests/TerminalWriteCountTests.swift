import Foundation
import Testing
import TestSupport

/// The dashboard in tmux while events arrive at an everyday rate: each drawn frame reaches the terminal
/// in a write or two, not one `write(2)` per cursor move.
///
/// Why: ncurses 6.4 flushes its output buffer after every internal cursor move until the screen has once
/// been through `endwin` (its `_endwin` state stays "initial"), so a 200x50 frame that changes a few
/// hundred runs cost a few hundred system calls (measured: about 1,000 writes a second at 2,000 events/s,
/// a sixth of the main thread's time, and as many small packets over ssh). The count comes from the
/// kernel (`syscw` in /proc/PID/io, every write system call of the process).
@Suite(.serialized) struct TerminalWriteCountTests {
    @Test(.timeLimit(.minutes(2))) func aFrameIsWrittenInAFewSystemCalls() async throws {
        let binary = RepoPaths.retrytopBinary.path
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let tmux = try await TmuxSession(
            command: "'\(binary)' --broker '\(redis.url)' --no-backfill --no-journal", width: 200, height: 50)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(15))
        let pid = try await Self.dashboardPID(tmux)

        // 2,000 events/s for 4 s: every event frame (5 a second) changes many rows.
        let events = 8_000
        let firehose = try BackgroundProcess(
            executable: binary,
            arguments: [
                "firehose", "--broker", redis.url, "--rate", "2000", "--events", String(events),
                "--tasks", "800", "--batch", "1-3", "--workers", "8", "--seed", "11", "--json",
            ],
            outputFile: FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-writes-\(UUID().uuidString).json"))
        defer { firehose.kill() }
        try await tmux.waitUntil(timeout: .seconds(30), description: "events arriving") {
            $0.firstMatch(of: /(RECEIVED|STARTED|RETRY) [1-9]/) != nil
        }
        let before = try Self.writeCalls(pid: pid)
        let startedAt = ContinuousClock.now
        try await Task.sleep(for: .seconds(2))
        let after = try Self.writeCalls(pid: pid)
        let elapsed = ContinuousClock.now - startedAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perSecond = Double(after - before) / seconds
        print("terminal writes while events arrive: \(after - before) in \(String(format: "%.2f", seconds)) s")
        // At most 20 frames a second (keys, the clock) and at most 5 of them for events: two writes per
        // frame leave room for a frame that fills ncurses' buffer. One write per cursor move is hundreds.
        #expect(perSecond <= 40, "\(after - before) write calls in \(seconds) s")
        // And frames did reach the terminal meanwhile (5 event frames a second; a frozen screen writes none).
        #expect(perSecond >= 2, "\(after - before) write calls in \(seconds) s: the screen stopped being drawn")
        // And the frames did change: the screen shows the events.
        let screen = try await tmux.capture()
        #expect(screen.firstMatch(of: /(RECEIVED|STARTED|RETRY) [1-9]/) != nil, "\(screen)")
        #expect(await firehose.waitForExit(timeout: .seconds(30)), "the firehose did not finish")
    }

    /// The retrytop process in the pane (a child of the pane's wrapper shell).
    static func dashboardPID(_ tmux: TmuxSession) async throws -> Int32 {
        let panePID = try await tmux.tmuxCommand(["display-message", "-p", "-t", "test", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var pending = [panePID]
        while let pid = pending.popLast() {
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            if command.hasPrefix("retrytop"), let value = Int32(pid) { return value }
            for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
                let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
                pending += children.split(separator: " ").map(String.init)
            }
        }
        throw HarnessError("no retrytop process under the pane's pid \(panePID)")
    }

    /// Write system calls the process has made (`syscw` in /proc/PID/io).
    static func writeCalls(pid: Int32) throws -> Int {
        let text = try String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("syscw:") }),
              let value = Int(line.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)) else {
            throw HarnessError("no syscw in /proc/\(pid)/io: \(text)")
        }
        return value
    }
}
