import ArgumentParser
import Firehose
import Foundation
import Launch
import RedisLink
import Threading

/// The efficiency rungs of `retrytop bench`: CPU with an idle broker and CPU per event at an everyday
/// rate, measured on the real commands (the release dashboard in a 200x50 pty, `retrytop snapshot`)
/// as child processes, per thread from /proc, with Celery's EventReceiver + State beside them.
extension BenchCommand {
    static let dashboardWidth = 200
    static let dashboardHeight = 50
    /// Time for a child to start, subscribe and draw its first frames before a window opens.
    static let warmUpSeconds = 3.0

    /// The dashboard (through a pty) and `snapshot`, subscribed to a broker nobody publishes to.
    func measureIdle(brokerText: String) throws -> [CPUMeasurement] {
        let dashboard = try startDashboard(brokerText: brokerText)
        defer { dashboard.terminal.stop() }
        let snapshot = try ChildProcess(path: Self.selfExecutable, arguments: [
            "snapshot", "--broker", brokerText, "--no-backfill", "--for", "3600",
        ])
        defer { snapshot.terminate() }
        MonotonicClock.sleep(Self.warmUpSeconds)
        let start = (dashboard: ProcessCPU.sample(pid: dashboard.pid), snapshot: ProcessCPU.sample(pid: snapshot.pid), at: MonotonicClock.now())
        MonotonicClock.sleep(idleSeconds)
        let end = (dashboard: ProcessCPU.sample(pid: dashboard.pid), snapshot: ProcessCPU.sample(pid: snapshot.pid), at: MonotonicClock.now())
        guard !end.dashboard.threads.isEmpty, !end.snapshot.threads.isEmpty else {
            throw ValidationError("a measured process exited during the idle window: \(snapshot.errorOutput().suffix(1_000))")
        }
        let window = end.at - start.at
        return [
            CPUMeasurement(subject: "retrytop dashboard \(Self.dashboardWidth)x\(Self.dashboardHeight)", from: start.dashboard, to: end.dashboard, windowSeconds: window, events: nil),
            CPUMeasurement(subject: "retrytop snapshot", from: start.snapshot, to: end.snapshot, windowSeconds: window, events: nil),
        ]
    }

    /// `lowRateSeconds` of events at `lowRate`/s in one batch mix while the dashboard, `snapshot` and
    /// Celery's EventReceiver + State listen; each one's CPU from the firehose's start until it has
    /// folded everything.
    func runLowRateRung(brokerText: String, control: RedisConnection, batch: String) throws -> LowRateRung {
        note("retrytop bench: low rate, batch \(batch) at \(Int(saturating: lowRate)) ev/s with the dashboard, snapshot and Celery's EventReceiver + State …")
        let events = max(1, Int(lowRate * lowRateSeconds))
        var known = ClientList(text: try control.clientList()).patternSubscriberIDs
        let dashboard = try startDashboard(brokerText: brokerText)
        defer { dashboard.terminal.stop() }
        known.insert(try waitForNewSubscriber(control: control, known: known))
        let snapshot = try ChildProcess(path: Self.selfExecutable, arguments: [
            "snapshot", "--broker", brokerText, "--no-backfill", "--no-tracebacks", "--for", "3600",
        ])
        defer { snapshot.terminate() }
        known.insert(try waitForNewSubscriber(control: control, known: known, process: snapshot))
        let peer = try ChildProcess(path: pythonPath, arguments: [peerScript, "--broker", brokerText, "--idle", "2"])
        defer { peer.terminate() }
        known.insert(try waitForNewSubscriber(control: control, known: known, process: peer))
        MonotonicClock.sleep(1)

        let pids = [dashboard.pid, snapshot.pid, peer.pid]
        let before = pids.map(ProcessCPU.sample(pid:))
        let startedAt = MonotonicClock.now()
        let firehose = try ChildProcess(path: Self.selfExecutable, arguments: [
            "firehose", "--broker", brokerText, "--rate", String(lowRate), "--batch", batch, "--json",
            "--events", String(events), "--tasks", String(max(1, events / 10)), "--workers", String(shape.workers), "--seed", String(shape.seed),
        ])
        while firehose.isRunning { MonotonicClock.sleep(0.05) }
        // Everything published is folded within a frame (reader coalescing + decode + one 50 ms poll).
        MonotonicClock.sleep(0.5)
        let after = pids.map(ProcessCPU.sample(pid:))
        let window = MonotonicClock.now() - startedAt
        guard let line = firehose.output().split(separator: "\n").last,
              let output = try? JSONDecoder().decode(FirehoseOutput.self, from: Data(line.utf8)) else {
            throw ValidationError("the firehose failed: \(firehose.errorOutput())")
        }
        // SIGTERM ends the listening; snapshot still prints what it folded.
        kill(snapshot.pid, SIGTERM)
        _ = snapshot.waitForExitBlocking(timeout: .seconds(30))
        let folded = Self.foldedEvents(snapshotOutput: snapshot.output())
        // The peer stops 2 s after its last event; SIGTERM makes it stop and report if it has not.
        if !peer.waitForExitBlocking(timeout: .seconds(15)) {
            kill(peer.pid, SIGTERM)
            _ = peer.waitForExitBlocking(timeout: .seconds(15))
        }
        if peer.output().isEmpty { note("retrytop bench:   the Celery peer printed no result: \(peer.errorOutput().suffix(1_000))") }
        let peerEvents = peer.output().split(separator: "\n").last.flatMap { try? JSONDecoder().decode(PeerResult.self, from: Data($0.utf8)) }?.events
        if folded != output.report.events {
            note("retrytop bench:   snapshot folded \(folded.map(String.init) ?? "?") of \(output.report.events) published events")
        }
        let measurements = [
            CPUMeasurement(subject: "retrytop dashboard \(Self.dashboardWidth)x\(Self.dashboardHeight)", from: before[0], to: after[0], windowSeconds: window, events: output.report.events),
            CPUMeasurement(subject: "retrytop snapshot", from: before[1], to: after[1], windowSeconds: window, events: folded),
            CPUMeasurement(subject: "Celery EventReceiver + State", from: before[2], to: after[2], windowSeconds: window, events: peerEvents),
        ]
        for measured in measurements {
            note("retrytop bench:   \(measured.subject): \(String(format: "%.3f", measured.cpuSeconds)) s CPU, "
                + "\(measured.microsecondsPerEvent.map { String(format: "%.1f", $0) } ?? "?") µs/event over \(measured.events ?? 0) events")
        }
        return LowRateRung(batch: batch, targetRate: lowRate, publish: output.report, measurements: measurements)
    }

    /// The dashboard (this executable, release) in a 200x50 pty, subscribed, with no backfill and no journal
    /// (the journal has its own figures: `--only journal`).
    func startDashboard(brokerText: String) throws -> (terminal: PseudoTerminalProcess, pid: Int32) {
        let terminal = try PseudoTerminalProcess(
            executable: Self.selfExecutable, arguments: ["--broker", brokerText, "--no-backfill", "--no-journal"],
            width: Self.dashboardWidth, height: Self.dashboardHeight)
        guard let pid = terminal.commandPID() else {
            terminal.stop()
            throw ValidationError("the dashboard did not start in a pty: \(terminal.script.errorOutput().suffix(1_000))")
        }
        return (terminal, pid)
    }

    /// `stats.folded` of a snapshot document.
    static func foldedEvents(snapshotOutput: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(snapshotOutput.utf8)) as? [String: Any],
              let stats = object["stats"] as? [String: Any] else { return nil }
        return stats["folded"] as? Int
    }
}
