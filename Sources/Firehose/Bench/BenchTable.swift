import Foundation
import Monitor

/// Renders a `BenchReport` as the Markdown that goes into BENCHMARKS.md.
public enum BenchTable {
    public static func markdown(_ report: BenchReport) -> String {
        var out = ""
        let machine = report.machine
        out += "Machine: \(machine.cores) cores, \(machine.cpu), \(machine.memoryBytes / 1_073_741_824) GiB RAM. Command: `\(machine.command)`\n\n"
        if !report.rungs.isEmpty {
            out += "### End to end: firehose → redis-server → hiredis subscriber → decode → fold\n\n"
            out += "| batch | target ev/s | achieved ev/s | published | folded | lost | dropped by Redis | reconnects | max omem | truth mismatches | CPU s | peak RSS | Celery State events | Celery lost | Celery dropped | retrytop/Celery |\n"
            out += "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n"
            for rung in report.rungs {
                let peer = rung.peer
                let peerLost = peer.map { max(0, rung.loss.publishedEvents - $0.events) }
                let ratio = peer.map { $0.events > 0 ? String(format: "%.1f×", Double(rung.loss.foldedEvents) / Double($0.events)) : "∞" } ?? "–"
                out += "| \(rung.batch) | \(int(rung.targetRate)) | \(int(rung.publish.achievedRate)) | \(int(rung.loss.publishedEvents)) | \(int(rung.loss.foldedEvents)) | "
                out += "\(int(rung.loss.lostEvents)) (\(percent(rung.loss.lostShare))) | \(rung.subscriberDropped ? "**yes**" : "no") | \(rung.reconnects) | \(mebibytes(rung.maxOutputBufferBytes)) | "
                out += "\(rung.truthMismatches) | \(String(format: "%.2f", rung.cpuSeconds)) | \(mebibytes(rung.peakRSSBytes)) | "
                if let peer, let peerLost {
                    let share = rung.loss.publishedEvents > 0 ? Double(peerLost) / Double(rung.loss.publishedEvents) : 0
                    out += "\(int(Double(peer.events))) | \(int(Double(peerLost))) (\(percent(share))) | \(peer.disconnected ? "**yes**" : "no") | \(ratio) |\n"
                } else {
                    out += "– | – | – | – |\n"
                }
            }
            out += "\n"
            for batch in Array(Set(report.rungs.map(\.batch))).sorted() {
                let mine = report.highestCleanRate(batch: batch).map { int($0) } ?? "none"
                let peers = report.highestPeerCleanRate(batch: batch).map { int($0) } ?? "none of the rates tried"
                out += "- batch \(batch): highest zero-loss rate, retrytop: **\(mine) ev/s**; Celery EventReceiver + State: **\(peers)**\n"
            }
            out += "\n"
            out += besideRawReader(report.rungs)
        }
        out += efficiency(report)
        if let backfill = report.backfill {
            out += "### Backfill at start during a storm\n\n"
            out += "| result keys | unacked | backfill s | tasks merged | storm target ev/s | achieved ev/s | published | folded | lost | dropped by Redis | longest Redis command | CPU s |\n"
            out += "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n"
            out += "| \(int(Double(backfill.resultKeys))) | \(int(Double(backfill.unackedEntries))) | \(String(format: "%.2f", backfill.seconds)) | "
            out += "\(int(Double(backfill.tasksMerged))) | \(int(backfill.stormTargetRate)) | \(int(backfill.stormAchievedRate)) | "
            out += "\(int(Double(backfill.publishedEvents))) | \(int(Double(backfill.foldedEvents))) | \(int(Double(backfill.lostEvents))) | "
            out += "\(backfill.subscriberDropped ? "**yes**" : "no") | \(backfill.longestCommand) \(String(format: "%.1f", Double(backfill.longestCommandMicroseconds) / 1_000)) ms | "
            out += "\(String(format: "%.2f", backfill.cpuSeconds)) |\n\n"
            for source in backfill.sources {
                out += "- \(source.name): \(int(Double(source.keysScanned))) keys read, \(int(Double(source.tasksFound))) tasks, "
                out += (source.seconds.map { String(format: "%.2f s", $0) } ?? "not finished") + "\n"
            }
            out += "\n"
        }
        if let core = report.core {
            out += "### One core, envelopes in memory (\(int(Double(core.events))) events, \(int(Double(core.messages))) messages, \(mebibytes(core.envelopeBytes)))\n\n"
            out += "| decode only | fold only | decode + fold | truth mismatches |\n|---:|---:|---:|---:|\n"
            out += "| \(int(core.decodeEventsPerSecond)) ev/s | \(int(core.foldEventsPerSecond)) ev/s | \(int(core.decodeFoldEventsPerSecond)) ev/s | \(core.mismatches) |\n\n"
        }
        if let memory = report.memory {
            out += "### Memory per tracked task\n\n"
            out += "| tasks | attempts | events | RSS growth | per task | truth mismatches |\n|---:|---:|---:|---:|---:|---:|\n"
            out += "| \(int(Double(memory.tasks))) | \(int(Double(memory.attempts))) | \(int(Double(memory.events))) | \(mebibytes(memory.rssDeltaBytes)) | "
            out += "\(String(format: "%.2f", memory.rssBytesPerTask / 1_024)) KiB | \(memory.mismatches) |\n\n"
        }
        if let long = report.longStorm {
            out += "### Memory over a long storm (\(int(Double(long.stormTasks))) tasks through a bound of \(int(Double(long.maxTasks))))\n\n"
            out += "| events folded | tasks kept | tasks evicted | RSS |\n|---:|---:|---:|---:|\n"
            for sample in long.samples {
                out += "| \(int(Double(sample.events))) | \(int(Double(sample.tasks))) | \(int(Double(sample.evictedTasks))) | \(mebibytes(sample.rssBytes)) |\n"
            }
            if let first = long.firstAtBound, let growth = long.growthAfterBound {
                out += "\nBound reached by \(int(Double(first.events))) events; from there to the end RSS grew by at most "
                out += "\(String(format: "%.1f", growth * 100))%.\n"
            }
            out += "\n"
        }
        if !report.frames.isEmpty {
            out += "### One dashboard frame\n\n| tasks | size | time |\n|---:|---|---:|\n"
            for frame in report.frames {
                out += "| \(int(Double(frame.tasks))) | \(frame.width)x\(frame.height) | \(frame.milliseconds.map { String(format: "%.2f ms", $0) } ?? frame.note) |\n"
            }
            out += "\n"
        }
        if let startup = report.startup {
            out += "### Start-up\n\nprocess start → subscribed: \(String(format: "%.1f ms", startup.toSubscribedSeconds * 1_000))"
            if let frame = startup.toFirstFrameSeconds { out += "; → first frame: \(String(format: "%.1f ms", frame * 1_000))" }
            out += "\n"
        }
        return out
    }

    /// The idle and low-rate CPU tables.
    static func efficiency(_ report: BenchReport) -> String {
        var out = ""
        if !report.lowRate.isEmpty {
            out += "### CPU per event at everyday rates (CPU time from /proc per thread, side by side in one run)\n\n"
            out += "| batch | target ev/s | published | achieved ev/s | process | events | CPU s | core | µs/event | per thread (µs/event) |\n"
            out += "|---|---:|---:|---:|---|---:|---:|---:|---:|---|\n"
            for rung in report.lowRate {
                for measured in rung.measurements {
                    let threads = measured.threads.filter { $0.seconds > 0 }.prefix(6).map { thread in
                        "\(thread.name) \(measured.microsecondsPerEvent(thread: thread).map { String(format: "%.1f", $0) } ?? "–")"
                    }.joined(separator: ", ")
                    out += "| \(rung.batch) | \(int(rung.targetRate)) | \(int(rung.publish.events)) | \(int(rung.publish.achievedRate)) | \(measured.subject) | "
                    out += "\(measured.events.map { int($0) } ?? "–") | \(String(format: "%.3f", measured.cpuSeconds)) | \(String(format: "%.3f", measured.coreShare)) | "
                    out += "\(measured.microsecondsPerEvent.map { String(format: "%.1f", $0) } ?? "–") | \(threads) |\n"
                }
            }
            out += "\n"
        }
        if !report.idle.isEmpty {
            out += "### Idle broker (no events): CPU over the window\n\n"
            out += "| process | window s | CPU s | % of a core | per thread (CPU ms) |\n|---|---:|---:|---:|---|\n"
            for measured in report.idle {
                let threads = measured.threads.filter { $0.seconds > 0 }.prefix(6)
                    .map { "\($0.name) \(String(format: "%.1f", $0.seconds * 1_000))" }.joined(separator: ", ")
                out += "| \(measured.subject) | \(String(format: "%.1f", measured.windowSeconds)) | \(String(format: "%.3f", measured.cpuSeconds)) | "
                out += "\(String(format: "%.2f%%", measured.coreShare * 100)) | \(threads) |\n"
            }
            out += "\n"
        }
        return out
    }

    /// Issue 17's overload criterion: Redis never cuts the subscriber while a raw reader on the same machine
    /// keeps up. One row per rung that ran a raw reader (`bench --raw-reader`), then the count.
    static func besideRawReader(_ rungs: [RungResult]) -> String {
        let rows = rungs.compactMap { rung in rung.rawReader.map { (rung, $0) } }
        guard !rows.isEmpty else { return "" }
        var out = "### Beside a raw reader: is retrytop cut where a reader that only reads is not?\n\n"
        out += "| batch | target ev/s | achieved ev/s | raw reader | raw reader max omem | retrytop cut by Redis | retrytop max omem | "
        out += "dropped by the inbox (counted) | never received (uncounted) |\n"
        out += "|---|---:|---:|---|---:|---|---:|---:|---:|\n"
        for (rung, raw) in rows {
            let cut = rung.subscriberDropped || rung.reconnects > 0
            out += "| \(rung.batch) | \(int(rung.targetRate)) | \(int(rung.publish.achievedRate)) | \(raw.keptUp ? "kept up" : "**cut**") | "
            out += "\(mebibytes(raw.maxOutputBufferBytes)) | \(cut ? "**yes**" : "no") | \(mebibytes(rung.maxOutputBufferBytes)) | "
            out += "\(int(rung.loss.inboxDroppedMessages)) | \(int(rung.loss.undeliveredMessages)) |\n"
        }
        let fair = rows.filter { $0.1.keptUp }
        let cut = fair.filter { $0.0.subscriberDropped || $0.0.reconnects > 0 }.count
        out += "\n- retrytop cut by Redis in **\(cut) of \(fair.count)** rungs where the raw reader kept up"
        out += rows.count > fair.count ? "; the raw reader itself was cut in \(rows.count - fair.count)\n\n" : "\n\n"
        return out
    }

    static func int(_ value: Double) -> String {
        let number = Int(saturating: value.rounded())
        let text = String(abs(number))
        var out = ""
        for (index, character) in text.enumerated() {
            if index > 0, (text.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return number < 0 ? "-" + out : out
    }

    static func int(_ value: Int) -> String { int(Double(value)) }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
