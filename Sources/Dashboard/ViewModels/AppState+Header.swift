import Monitor
import TerminalUI

extension AppState {
    /// How long after a Sentinel failover the header names it, seconds.
    static let failoverShownFor = 600.0

    /// The header at `now`: broker, connection, event rate, workers, storm, counts, badges, clock.
    public func headerModel() -> HeaderModel {
        let model = viewed
        // The link (connection, decode and inbox counters) is never frozen: `Z` freezes the task panes,
        // and a disconnect or a loss while frozen must show at once.
        let connection = link.connection
        var topLeft: [Span] = [Span(" retrytop ", style: theme[.accent])]
        switch connection.phase {
        case .connected: topLeft.append(Span(" \(glyphs.bullet) connected ", style: theme[.successStrong]))
        case .stalled: topLeft.append(Span(" \(glyphs.hollowBullet) stalled ", style: theme[.warningStrong]))
        case .connecting: topLeft.append(Span(" \(glyphs.hollowBullet) connecting ", style: theme[.warningStrong]))
        case .reconnecting: topLeft.append(Span(" \(glyphs.hollowBullet) reconnecting ", style: theme[.failureStrong]))
        case .stopped: topLeft.append(Span(" \(glyphs.hollowBullet) stopped ", style: theme[.failureStrong]))
        }
        // Loss stays visible after the link is back: windows in which events may be missing, last hour.
        let recentGaps = connection.gapsInLastHour(now: now)
        if recentGaps > 0 {
            topLeft.append(Span(" \(recentGaps) \(recentGaps == 1 ? "gap" : "gaps")/1h ", style: theme[.warningStrong]))
        }
        var perSecond = 0.0
        for kind in RateKind.allCases { perSecond += model.overallRates.perSecond(kind, window: 10, endingAt: now) }
        topLeft.append(Span(" \(glyphs.arrowDown) \(NumberText.grouped(Int(saturating: perSecond.rounded()))) ev/s "))
        topLeft.append(Span(" \(model.onlineWorkers(at: now))/\(model.workers.count) workers "))
        topLeft += queueSpans(link.queues)

        var topRight: [Span] = []
        let storms = stormAlerts
        if let worst = storms.first {
            let more = storms.count > 1 ? " +\(storms.count - 1) more (! lists)" : ""
            let baseline = NumberText.compact((worst.baselinePerMinute * 10).rounded() / 10)
            let text: String
            if width >= 160 {
                text = "\(worst.name) \(glyphs.times)\(worst.retriesPerMinute) retries/min (baseline \(baseline)/min)\(more)"
            } else if width >= 100 {
                text = "\(worst.name) \(glyphs.times)\(worst.retriesPerMinute) retries/min\(more)"
            } else {
                text = "\(displayName(worst.name, width: 0)) \(glyphs.times)\(worst.retriesPerMinute)/min"
            }
            topRight.append(Span("\(glyphs.warning) STORM \(text) ", style: theme[.failureStrong]))
            if !readOnly, width >= 100 {
                // The storm's own keys: throttle its name (L falls back to it), revoke its retries (D).
                topRight.append(Span("\(keymap.keyLabel(of: .rateLimitName)) throttle ", style: theme[.accent]))
            }
        }

        var bottomLeft: [Span] = [Span(" ")]
        let compact = width < 100
        let labels: [TaskState: String] = [.received: "recv", .started: "run", .retry: "retry", .success: "ok", .failure: "fail", .revoked: "revoked", .rejected: "rejected"]
        for state in [TaskState.received, .started, .retry, .success, .failure, .revoked, .rejected] {
            let count = model.count(state)
            if state == .rejected && count == 0 { continue }
            bottomLeft.append(Span((compact ? labels[state] ?? state.rawValue : state.rawValue) + " ", style: theme[.muted]))
            bottomLeft.append(Span(NumberText.grouped(count), style: style(of: state).bold()))
            bottomLeft.append(Span("  "))
        }
        let problems: [(String, Int)] = [
            ("malformed", link.malformedTotal), ("bad values", link.decodeStats.badValues), ("unknown", link.decodeStats.unknown),
            ("dropped", link.inboxDropped), ("evicted", model.stats.evictedTasks),
            ("evicted fail/retry", model.stats.evictedFailedOrRetrying),
        ]
        // While the inbox sheds (decode cannot keep up), the drops say how fast, in red: messages a second
        // over the last 5 s.
        let dropsPerSecond = link.inboxDropRate.perSecond(at: now)
        for (label, count) in problems where count > 0 {
            if label == "dropped", dropsPerSecond > 0 {
                let rate = NumberText.grouped(max(1, Int(saturating: dropsPerSecond.rounded())))
                bottomLeft.append(Span("\(label) \(NumberText.grouped(count)) (\(rate)/s)", style: theme[.failureStrong]))
                bottomLeft.append(Span("  "))
                continue
            }
            bottomLeft.append(Span("\(label) \(NumberText.grouped(count))  ", style: theme[.warning]))
        }
        bottomLeft += journalSpans(link.journal)

        var bottomRight: [Span] = []
        if isFrozen {
            bottomRight.append(Span(" FROZEN +\(NumberText.grouped(eventsSinceFreeze)) events ", style: theme[.frozenBadge]))
            bottomRight.append(Span(" "))
        }
        if readOnly {
            bottomRight.append(Span(" READ-ONLY ", style: theme[.readOnlyBadge]))
            bottomRight.append(Span(" "))
        }
        if connection.transport == .tlsUnverified {
            // Encrypted but anyone in the path could be the server: say so where the URL is.
            bottomRight.append(Span(" TLS UNVERIFIED ", style: theme[.dangerBadge]))
            bottomRight.append(Span(" "))
        }
        if let failover = connection.lastFailover, now - failover.at < Self.failoverShownFor {
            // The broker moved: say so where the URL is, for a while, so nobody wonders about the gap.
            bottomRight.append(Span(" FAILOVER \(failover.from)\u{2192}\(failover.to) \(TimeText.clock(failover.at)) ", style: theme[.readOnlyBadge]))
            bottomRight.append(Span(" "))
        }
        let backfill = backfillSpans(link.backfill, compact: compact)
        bottomRight += backfill
        // Backfill's progress (then "watching since") takes the broker URL's place below 160 columns.
        if !compact, backfill.isEmpty || width >= 160, !connection.redactedURL.isEmpty {
            let master = connection.master.map { " \u{2192} \($0)" } ?? ""
            let url = Span("\(connection.redactedURL)\(master)  ", style: theme[.muted])
            // Counters of trouble (bad input, drops, a failing journal) matter more than the URL: it gives way.
            let used = (bottomLeft + bottomRight).reduce(url.text.count + 16) { $0 + $1.text.count }
            if used <= width { bottomRight.append(url) }
        }
        bottomRight.append(Span("\(TimeText.clock(now)) UTC ", style: theme[.strong]))

        var banner: String?
        if connection.phase == .reconnecting {
            // The gap may have opened before the disconnect (a stall, or the last event a slow consumer read).
            let gap = Int(saturating: (now - (connection.openGap?.from ?? connection.since)).rounded(.down))
            banner = " RECONNECTING attempt \(connection.attempt) since \(TimeText.clock(connection.since)) \(glyphs.dash) "
                + "events may be missed (gap \(TimeText.span(Double(max(0, gap)))))"
            if let reason = connection.reason { banner! += " \(glyphs.dash) \(reason)" }
        } else if connection.phase == .stalled {
            let from = connection.openGap?.from ?? connection.since
            banner = " STALLED no reply from the broker since \(TimeText.clock(from)) \(glyphs.dash) "
                + "events may be missed (gap \(TimeText.span(max(0, now - from)))) \(glyphs.dash) reconnecting if it persists"
        } else if connection.phase == .connecting, let reason = connection.reason {
            // The first connection keeps failing: say why, or an empty dashboard looks like a quiet cluster.
            banner = " CANNOT CONNECT to \(connection.redactedURL) \(glyphs.dash) attempt \(connection.attempt): \(reason) \(glyphs.dash) retrying"
        }
        return HeaderModel(topLeft: topLeft, topRight: topRight, bottomLeft: bottomLeft, bottomRight: bottomRight, banner: banner)
    }
}

extension AppState {
    /// Backfill in the header: progress per source while it reads (the user already works), errors of a
    /// source that failed, then since when retrytop watches. Nothing when neither is known (replays).
    func backfillSpans(_ backfill: BackfillStatus, compact: Bool) -> [Span] {
        var spans: [Span] = []
        if backfill.enabled, !backfill.isFinished {
            spans.append(Span("backfill ", style: theme[.accent]))
            for report in backfill.reports {
                let label = report.source == .resultBackend ? "results" : report.source.rawValue
                switch report.phase {
                case .waiting: spans.append(Span("\(label) \(glyphs.ellipsis)  ", style: theme[.muted]))
                case .running:
                    var text = "\(label) \(NumberText.grouped(report.keysScanned))"
                    if let total = report.total, total > 0 {
                        let fraction = min(1, Double(report.keysScanned) / Double(total))
                        text += "/\(NumberText.grouped(total)) " + ProgressBar(fraction: fraction).render(width: 5, glyphs: glyphs)
                    } else if width >= 160 {
                        text += " keys"
                    }
                    spans.append(Span(text + "  ", style: theme[.info]))
                case .done, .cut:
                    // Below 160 columns a finished source is only ticked off: the counts are in the snapshot.
                    let count = width >= 160 ? " \(NumberText.grouped(report.tasksFound))" : ""
                    spans.append(Span("\(label)\(count) \(glyphs.mark)  ", style: theme[.muted]))
                case .failed: spans.append(Span("\(label) failed  ", style: theme[.failureStrong]))
                case .skipped: break
                }
            }
            return spans
        }
        for report in backfill.reports where report.phase == .failed {
            let label = report.source == .resultBackend ? "results" : report.source.rawValue
            spans.append(Span("backfill \(label) failed  ", style: theme[.failureStrong]))
        }
        if let since = backfill.watchingSince, !compact {
            spans.append(Span("watching since \(TimeText.clock(since))  ", style: theme[.muted]))
        }
        return spans
    }
}

extension AppState {
    /// The journal in the header, only when something is wrong: the writer fell behind, the bounded feed
    /// missed changes, or it cannot be written (a short flag here; the error's own words are on the status
    /// line, where they fit; live monitoring carries on).
    func journalSpans(_ journal: JournalStatus) -> [Span] {
        var spans: [Span] = []
        if journal.mode == .failed, journal.error != nil { spans.append(Span("journal failed  ", style: theme[.failureStrong])) }
        if journal.behind > 0 { spans.append(Span("journal behind \(NumberText.grouped(journal.behind))  ", style: theme[.warning])) }
        if journal.overflow > 0 { spans.append(Span("journal missed \(NumberText.grouped(journal.overflow))  ", style: theme[.warning])) }
        return spans
    }
}

extension AppState {
    /// The messages waiting in the broker's queues (live, like the link): the total, and the fullest
    /// queue when there is room. Yellow with `?` when the last read failed (the figures are the last good ones).
    func queueSpans(_ queues: QueueDepths) -> [Span] {
        guard queues.readAt != nil || queues.error != nil else { return [] }
        var text = " \(NumberText.grouped(queues.total)) queued"
        if width >= 120, let top = queues.queues.first, top.messages > 0, queues.queues.count > 1 || top.name != "celery" {
            let name = top.name.count > 24 ? String(top.name.prefix(23)) + glyphs.ellipsis : top.name
            text += " (\(name) \(NumberText.grouped(top.messages)))"
        }
        if queues.error != nil { return [Span(text + " ? ", style: theme[.warningStrong])] }
        return [Span(text + " ", style: queues.total > 0 ? theme[.strong] : theme[.plain])]
    }
}

extension ConnectionState {
    /// Whether the header needs its red banner row: while stalled or reconnecting, or while a first
    /// connection keeps failing.
    var needsBanner: Bool {
        phase == .reconnecting || phase == .stalled || (phase == .connecting && reason != nil)
    }
}
