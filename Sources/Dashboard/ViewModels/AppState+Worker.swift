import Actions
import Monitor
import TerminalUI

extension AppState {
    /// The worker view of `host` for `content`: what its heartbeats and events say, then what it answered
    /// to inspect (pool, concurrency, queues, active and reserved tasks), then the keys that act on it.
    ///
    /// Builds only the lines that fit: at most `content.height - 1` lines, tasks cut with "… N more".
    public func workerModel(_ host: String, in content: Rect) -> WorkerModel {
        let label = theme[.muted]
        let dash = glyphs.dash.description
        let worker = viewed.workers[host]
        let isOnline = worker?.isOnline(at: now) ?? false
        let title: [Span] = [
            Span(" \(glyphs.back) ", style: theme[.accent]), Span("Worker ", style: label), Span(host, style: theme[.strong]),
        ]
        var titleRight: [Span]
        if let worker, isOnline {
            titleRight = [Span("\(glyphs.bullet) online", style: theme[.successStrong])]
            if let last = worker.lastHeartbeat { titleRight.append(Span("  heartbeat \(TimeText.age(now - last)) ago ")) }
        } else {
            let since = worker?.offlineAt ?? worker?.lastHeartbeat.map { $0 + (worker?.freq ?? 2) * 2 }
            titleRight = [Span("\(glyphs.hollowBullet) offline" + (since.map { " since \(TimeText.clock($0))" } ?? "") + " ", style: theme[.failureStrong])]
        }

        var lines: [[Span]] = []
        let inspection = workerInspection?.hostname == host ? workerInspection : nil
        // Pool and concurrency (inspect stats), with how busy the worker is by its last heartbeat.
        var pool: [Span] = [Span(" pool ", style: label), Span(inspection?.pool ?? dash, style: theme[.strong])]
        pool += [Span("   concurrency ", style: label), Span(inspection?.concurrency.map(String.init) ?? dash, style: theme[.strong])]
        if let worker {
            let busy = isOnline ? worker.active : 0
            let saturated = inspection?.concurrency.map { $0 > 0 && busy >= $0 } ?? false
            pool += [Span("   active ", style: label), Span(NumberText.grouped(busy) + (inspection?.concurrency.map { "/\($0)" } ?? ""),
                                                              style: saturated ? theme[.warningStrong] : .plain)]
            if saturated { pool.append(Span(" (every pool slot busy)", style: theme[.warning])) }
        }
        if let prefetch = inspection?.prefetchCount { pool += [Span("   prefetch ", style: label), Span(String(prefetch))] }
        if let uptime = inspection?.uptime { pool += [Span("   up ", style: label), Span(TimeText.span(uptime))] }
        if let pid = worker?.pid { pool += [Span("   pid ", style: label), Span(String(pid))] }
        lines.append(pool)
        lines.append([Span(" queues ", style: label), Span(inspection?.queues.map { $0.isEmpty ? "(none)" : $0.joined(separator: ", ") } ?? dash)])
        lines.append(inspectionLine(host, inspection, label: label))

        // Heartbeats and the task events seen from it.
        if let worker {
            let samples = worker.heartbeats
            let chart = max(0, min(samples.count, WorkerRecord.maxHeartbeats, content.width - 48))
            let load = worker.loadavg.map(AppState.twoDecimals).joined(separator: " ")
            var loadLine: [Span] = [Span(" load ", style: label), Span(load.isEmpty ? dash : load)]
            var busyLine: [Span] = [Span(" busy ", style: label)]
            if samples.count >= 2, chart > 0 {
                loadLine += [Span("   "), Span(Sparkline(values: samples.map { $0.load ?? 0 }).render(width: chart, glyphs: glyphs), style: theme[.info]),
                             Span(" 1-min load", style: label)]
                busyLine += [Span(Sparkline(values: samples.map { Double($0.active) }, maximum: inspection?.concurrency.map(Double.init))
                                    .render(width: chart, glyphs: glyphs), style: theme[.info]),
                             Span(" active tasks, last \(samples.count) heartbeats (every \(TimeText.span(worker.freq)))", style: label)]
                let gaps = zip(samples.dropFirst(), samples).map { $0.timestamp - $1.timestamp }
                if let longest = gaps.max(), longest > worker.freq * 2 {
                    busyLine.append(Span("  longest gap \(TimeText.span(longest))", style: theme[.warning]))
                }
            } else {
                busyLine.append(Span("history after two heartbeats (every \(TimeText.span(worker.freq)))", style: label))
            }
            lines.append(loadLine)
            lines.append(busyLine)
            lines.append([
                Span(" on it ", style: label), Span("\(NumberText.grouped(worker.succeeded)) succeeded", style: theme[.success]),
                Span("   \(NumberText.grouped(worker.retried)) retried", style: worker.retried > 0 ? theme[.warning] : .plain),
                Span("   \(NumberText.grouped(worker.failed)) failed", style: worker.failed > 0 ? theme[.failure] : .plain),
                Span("   processed \(NumberText.grouped(worker.processed))", style: label),
            ])
        } else {
            lines.append([Span(" No event seen from this worker (evicted, or it never sent one).", style: theme[.warning])])
        }

        // Its tasks, as inspect listed them: active first, then reserved (prefetched, not started).
        let room = max(0, content.height - 1 - lines.count - 3)
        let activeRoom = inspection?.reserved?.isEmpty ?? true ? room : (room + 1) / 2
        lines.append([])
        lines += taskLines("Active", inspection?.active, total: inspection?.activeTotal ?? 0, room: activeRoom, now: now, width: content.width)
        lines += taskLines("Reserved", inspection?.reserved, total: inspection?.reservedTotal ?? 0,
                           room: max(1, room - min(activeRoom, inspection?.active?.count ?? 0)), now: now, width: content.width)
        return WorkerModel(title: title, titleRight: titleRight, lines: lines)
    }

    /// `0.42`: a load average to two decimals.
    static func twoDecimals(_ value: Double) -> String {
        guard value.isFinite else { return "?" }
        let hundredths = Int(saturating: (abs(value) * 100).rounded())
        let fraction = hundredths % 100
        return (value < 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// Where the inspection stands: asking, answered (how long ago, what was missing), or never asked.
    private func inspectionLine(_ host: String, _ inspection: WorkerInspection?, label: Style) -> [Span] {
        if inspectingWorker == host {
            return [Span(" inspect ", style: label), Span("asking \(host)\(glyphs.ellipsis)", style: theme[.info])]
        }
        guard let inspection else {
            return [Span(" inspect ", style: label), Span("no answer (r asks again)", style: theme[.warning])]
        }
        var spans: [Span] = [Span(" inspect ", style: label), Span("answered \(TimeText.clock(inspection.answeredAt))")]
        if !inspection.missing.isEmpty {
            spans.append(Span("   no answer to \(inspection.missing.joined(separator: ", "))", style: theme[.warning]))
        }
        if inspection.rejected > 0 { spans.append(Span("   \(inspection.rejected) values out of range, dropped", style: theme[.failure])) }
        return spans
    }

    /// A heading and up to `room` task lines (`RUNNING  NAME  ID`), with "… N more" when cut.
    private func taskLines(_ heading: String, _ tasks: [WorkerInspection.Task]?, total: Int, room: Int, now: Double, width: Int) -> [[Span]] {
        guard let tasks else { return [[Span(" \(heading): ", style: theme[.strong]), Span(glyphs.dash.description, style: theme[.muted])]] }
        var lines: [[Span]] = [[Span(" \(heading) \(NumberText.grouped(total))", style: theme[.strong])]]
        let shown = tasks.count > room ? max(0, room - 1) : tasks.count
        let idWidth = width >= 120 ? 36 : 8
        for task in tasks.prefix(shown) {
            let running = task.started.map { TimeText.elapsed(since: $0, now: now) } ?? ""
            let id = task.id.count > idWidth ? String(task.id.prefix(idWidth)) + glyphs.ellipsis.description : task.id
            lines.append([Span("   " + TextWidth.fit(running, width: 8), style: theme[.info]), Span(" " + TextWidth.fit(task.name, width: 32)), Span(" " + id, style: theme[.muted])])
        }
        if total > shown { lines.append([Span("   \(glyphs.ellipsis) \(NumberText.grouped(total - shown)) more", style: theme[.muted])]) }
        return lines
    }
}
