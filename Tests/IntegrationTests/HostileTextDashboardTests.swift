import Foundation
import Monitor
import Testing
import TestSupport

/// Issue 10 end to end, text that breaks the grid: the dashboard in a real terminal (tmux 3.3) on a real
/// redis-server, fed task names, host names, args and exceptions full of ZWJ family emoji, flags, VS16
/// hearts, skin tones, tag sequences and stacked combining marks.
///
/// What tmux holds must be what retrytop drew: every row of the panes as wide as the window, every pane
/// border at the same column on every row (columns counted the way tmux 3.3 counts them, glibc's
/// `wcwidth` scalar by scalar: `TerminalWidthOracle`), and, after a second batch replaces the rows, no
/// stale cells: the screen after incremental updates equals the screen after a full repaint. Fails
/// (never skips) when redis-server or tmux is missing.
@Suite(.serialized) struct HostileTextDashboardTests {
    static let width = 120
    static let height = 36
    static let zalgo = "Z̷̢̛a̸͓͝l̵̨͠g̶̛͜o̷͎͊"
    static let host = "celery@🇩🇪-büro-👨‍👩‍👧"

    /// The first batch: two retrying, two running and one failed task, all with hostile text.
    static func firstBatch(_ worker: inout EventBuilder, now: Double) -> [CeleryEvent] {
        var events = [worker.make(.workerOnline, nil, after: 0) { $0.freq = 60 }]
        events += retrying("a0000000-0000-4000-8000-000000000001", name: "tasks.notify_👨‍👩‍👧‍👦_family",
                           args: "('👍🏽 ok', '🇺🇸🇯🇵', 'I ❤️ it')", exception: "ValueError('\(zalgo) says 1️⃣ ❤️ 🇺🇸')", on: &worker, now: now)
        events += retrying("a0000000-0000-4000-8000-000000000002", name: "tasks.ping_🧑🏽‍💻_ops",
                           args: "('🏳️‍🌈', 'e\u{301}\u{302}\u{303}\u{304}')", exception: "KeyError('👩‍🚀')", on: &worker, now: now)
        events += running("a0000000-0000-4000-8000-000000000003", name: "tasks.send_🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}_report",
                          args: "('मनीष कुमार', '🧑🏽‍💻', '\(zalgo)')", on: &worker)
        events += running("a0000000-0000-4000-8000-000000000004", name: "tasks.render_👁️‍🗨️_view",
                          args: "('👋🏿', '✌🏻', '☝️')", on: &worker)
        events += running("a0000000-0000-4000-8000-000000000005", name: "tasks.ｆｕｌｌ_任务_✔️", args: "('☺︎', '\(zalgo)')", on: &worker)
        events.append(worker.failed("a0000000-0000-4000-8000-000000000005", "KeyError('👩‍🚀 \(zalgo) 🇪🇺')"))
        events.append(heartbeat(&worker, active: 2))
        return events
    }

    /// The second batch: everything from the first finishes, and one new retrying and one new running
    /// task take their rows, with other hostile names.
    static func secondBatch(_ worker: inout EventBuilder, now: Double) -> [CeleryEvent] {
        var events: [CeleryEvent] = []
        for id in ["a0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000002"] {
            events += [worker.started(id), worker.succeeded(id)]
        }
        events += [worker.succeeded("a0000000-0000-4000-8000-000000000003"), worker.succeeded("a0000000-0000-4000-8000-000000000004")]
        events += retrying("b0000000-0000-4000-8000-000000000001", name: "tasks.sync_🇯🇵🇰🇷_❤️",
                           args: "('🤷🏽‍♀️', 'o\u{308}\u{30C}\u{323}')", exception: "OSError('🔥 ☔️ \(zalgo)')", on: &worker, now: now)
        events += running("b0000000-0000-4000-8000-000000000002", name: "tasks.stacked_a\u{301}\u{302}\u{323}_🏳️‍⚧️",
                          args: "('👨🏻‍🤝‍👨🏿', '1️⃣2️⃣')", on: &worker)
        events.append(heartbeat(&worker, active: 1))
        return events
    }

    static func running(_ id: String, name: String, args: String, on worker: inout EventBuilder) -> [CeleryEvent] {
        [worker.received(id, name: name, args: args), worker.started(id)]
    }

    /// Ran once, raised Retry, and now waits half an hour for attempt 2 (so it stays in the Retrying pane).
    static func retrying(_ id: String, name: String, args: String, exception: String, on worker: inout EventBuilder, now: Double) -> [CeleryEvent] {
        running(id, name: name, args: args, on: &worker)
            + [worker.retried(id, exception), worker.received(id, name: name, retries: 1, eta: now + 1_800, args: args)]
    }

    static func heartbeat(_ worker: inout EventBuilder, active: Int) -> CeleryEvent {
        worker.make(.workerHeartbeat, nil, after: 0.01) {
            $0.freq = 60
            $0.active = active
            $0.processed = 3
            $0.loadavg = [0.1, 0.2, 0.3]
        }
    }

    /// One row of the pane as tmux holds it: each printing scalar at the column tmux put it in.
    static func cells(_ row: Substring) -> [Int: Unicode.Scalar] {
        var cells: [Int: Unicode.Scalar] = [:]
        var column = 0
        let scalars = Array(row.unicodeScalars)
        for (scalar, width) in zip(scalars, TerminalWidthOracle.widths(of: scalars.map(\.value))) where width > 0 {
            cells[column] = scalar
            column += width
        }
        return cells
    }

    /// The rows between the first top border and the last bottom border must all be `width` columns
    /// wide, with the outer borders at 0 and `width - 1` and the inner ones (`┐│┘` of the left panes,
    /// `┌│└` of the right) at the same two columns on every row. Returns the problems found.
    static func misalignedBorders(_ screen: String, width: Int) -> [String] {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard let top = rows.firstIndex(where: { $0.hasPrefix("┌") }), let bottom = rows.lastIndex(where: { $0.hasPrefix("└") }),
              let divider = cells(rows[top]).filter({ $0.value == "┐" }).map(\.key).min()
        else { return ["no pane borders on screen"] }
        var problems: [String] = []
        for index in top...bottom {
            let row = rows[index]
            let rowCells = cells(row)
            let rowWidth = TerminalWidthOracle.width(of: String(row))
            let checks: [(column: Int, allowed: String)] = [
                (0, "┌│└"), (divider, "┐│┘"), (divider + 1, "┌│└"), (width - 1, "┐│┘"),
            ]
            let bad = checks.filter { check in !(rowCells[check.column].map { check.allowed.unicodeScalars.contains($0) } ?? false) }
            if rowWidth != width || !bad.isEmpty {
                problems.append("row \(index) (\(rowWidth) columns, borders off at \(bad.map(\.column))): \(row)")
            }
        }
        return problems
    }

    /// The text of the left column of panes (Retrying, Active), row by row: the cells left of the first
    /// pane's right border.
    static func leftPanes(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard let top = rows.firstIndex(where: { $0.hasPrefix("┌") }),
              let divider = cells(rows[top]).filter({ $0.value == "┐" }).map(\.key).min()
        else { return "" }
        return rows[top...].map { row in
            var text = ""
            for (column, scalar) in cells(row).sorted(by: { $0.key < $1.key }) where column < divider { text.unicodeScalars.append(scalar) }
            return text
        }.joined(separator: "\n")
    }

    /// The panes (from the first top border to the last bottom border; the header and status line carry
    /// clocks and passing messages) with what changes by itself from second to second (digits of
    /// countdowns and ages, and the spacing that right-aligns them) evened out.
    static func steadyPanes(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard let top = rows.firstIndex(where: { $0.hasPrefix("┌") }), let bottom = rows.lastIndex(where: { $0.hasPrefix("└") })
        else { return "" }
        return rows[top...bottom].joined(separator: "\n").replacing(/[0-9]+/, with: "#").replacing(/[ ]+/, with: " ")
    }

    @Test(.timeLimit(.minutes(2))) func hostileTextKeepsTheGridAlignedAndLeavesNoStaleCells() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let tmux = try await TmuxSession(
            command: "'\(RepoPaths.retrytopBinary.path)' --broker '\(redis.url)' --read-only", width: Self.width, height: Self.height)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(20))
        let publisher = try CeleryEventPublisher(url: redis.url)
        defer { publisher.close() }
        try publisher.waitForSubscriber()

        let now = Date().timeIntervalSince1970
        var worker = EventBuilder(worker: Self.host, time: now - 30)
        let first = Self.firstBatch(&worker, now: now)
        #expect(try publisher.publish(CeleryEventPublisher.workerMessages(first.filter { $0.kind.isTaskEvent })
            + CeleryEventPublisher.singleMessages(first.filter { !$0.kind.isTaskEvent })) == 1)
        let before = try await tmux.waitUntil(timeout: .seconds(15), description: "the first batch") {
            $0.contains("Retrying 2 ") && $0.contains("Active 2 ") && $0.contains("notify_") && $0.contains("render_")
        }
        try await Task.sleep(for: .milliseconds(300))
        let firstScreen = try await tmux.capture()
        #expect(Self.misalignedBorders(firstScreen, width: Self.width) == [], "first batch:\n\(firstScreen)")
        #expect(firstScreen.contains("büro") && firstScreen.contains("ping_") && before.contains("Failed for good 1 "), "\(firstScreen)")

        let second = Self.secondBatch(&worker, now: now)
        #expect(try publisher.publish(CeleryEventPublisher.workerMessages(second.filter { $0.kind.isTaskEvent })
            + CeleryEventPublisher.singleMessages(second.filter { !$0.kind.isTaskEvent })) == 1)
        try await tmux.waitUntil(timeout: .seconds(15), description: "the second batch") {
            $0.contains("Retrying 1 ") && $0.contains("Active 1 ") && $0.contains("sync_") && $0.contains("stacked_")
        }
        try await Task.sleep(for: .milliseconds(300))
        let updated = try await tmux.capture()
        #expect(Self.misalignedBorders(updated, width: Self.width) == [], "second batch:\n\(updated)")
        // The left panes no longer show the finished tasks' text anywhere (the rates pane still names them).
        let left = Self.leftPanes(updated)
        for gone in ["notify_", "ping_", "send_", "render_", "👋", "मन"] {
            #expect(!left.contains(gone), "\(gone) still in the left panes:\n\(left)")
        }

        // A full repaint (a resize away and back clears the terminal) must show the same screen.
        try await tmux.resize(width: Self.width - 20, height: Self.height)
        try await tmux.waitUntil(timeout: .seconds(10), description: "the narrow layout") {
            Self.misalignedBorders($0, width: Self.width - 20) == []
        }
        try await tmux.resize(width: Self.width, height: Self.height)
        try await tmux.waitUntil(timeout: .seconds(10), description: "the full layout again") {
            Self.misalignedBorders($0, width: Self.width) == [] && $0.contains("sync_")
        }
        try await Task.sleep(for: .milliseconds(300))
        let repainted = try await tmux.capture()
        #expect(!Self.steadyPanes(updated).isEmpty)
        #expect(Self.steadyPanes(updated) == Self.steadyPanes(repainted), "stale cells: incremental\n\(updated)\nrepainted\n\(repainted)")
    }
}
