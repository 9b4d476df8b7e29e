import Monitor
import TerminalUI

extension AppState {
    /// The header at `now`: broker, connection, event rate, workers, storm, counts, badges, clock.
    public func headerModel() -> HeaderModel {
        let model = viewed
        let connection = model.connection
        var topLeft: [Span] = [Span(" retrytop ", style: Style(fg: .cyan, bold: true))]
        if !connection.redactedURL.isEmpty { topLeft.append(Span(" \(connection.redactedURL) ")) }
        switch connection.phase {
        case .connected: topLeft.append(Span(" \(glyphs.bullet) connected ", style: Style(fg: .green, bold: true)))
        case .connecting: topLeft.append(Span(" \(glyphs.hollowBullet) connecting ", style: Style(fg: .yellow, bold: true)))
        case .reconnecting: topLeft.append(Span(" \(glyphs.hollowBullet) reconnecting ", style: Style(fg: .red, bold: true)))
        case .stopped: topLeft.append(Span(" \(glyphs.hollowBullet) stopped ", style: Style(fg: .red, bold: true)))
        }
        var perSecond = 0.0
        for kind in RateKind.allCases { perSecond += model.overallRates.perSecond(kind, window: 10, endingAt: now) }
        topLeft.append(Span(" \(glyphs.arrowDown) \(TimeText.count(Int(perSecond.rounded()))) ev/s "))
        topLeft.append(Span(" workers \(model.onlineWorkers(at: now))/\(model.workers.count) online "))

        var topRight: [Span] = []
        let storms = stormAlerts
        if let worst = storms.first {
            let more = storms.count > 1 ? " +\(storms.count - 1) more" : ""
            topRight.append(Span(
                "\(glyphs.warning) STORM \(worst.name) \(glyphs.times)\(worst.retriesPerMinute) retries/min\(more) ",
                style: Style(fg: .red, bold: true)))
        }

        var bottomLeft: [Span] = [Span(" ")]
        for state in [TaskState.received, .started, .retry, .success, .failure, .revoked, .rejected] {
            let count = model.count(state)
            if state == .rejected && count == 0 { continue }
            bottomLeft.append(Span(state.rawValue + " ", style: Style(dim: true)))
            bottomLeft.append(Span(TimeText.count(count), style: AppState.style(of: state).bold()))
            bottomLeft.append(Span("  "))
        }
        let problems: [(String, Int)] = [
            ("malformed", model.malformedTotal), ("unknown", model.decodeStats.unknown),
            ("dropped", model.inboxDropped), ("evicted", model.stats.evictedTasks),
        ]
        for (label, count) in problems where count > 0 {
            bottomLeft.append(Span("\(label) \(TimeText.count(count))  ", style: Style(fg: .yellow)))
        }

        var bottomRight: [Span] = []
        if isFrozen {
            bottomRight.append(Span(" FROZEN +\(TimeText.count(eventsSinceFreeze)) events ", style: Style(fg: .black, bg: .cyan, bold: true)))
            bottomRight.append(Span(" "))
        }
        if readOnly {
            bottomRight.append(Span(" READ-ONLY ", style: Style(fg: .black, bg: .yellow, bold: true)))
            bottomRight.append(Span(" "))
        }
        bottomRight.append(Span("\(TimeText.clock(now)) UTC ", style: Style(bold: true)))

        var banner: String?
        if connection.phase == .reconnecting {
            let gap = Int((now - connection.since).rounded(.down))
            banner = " RECONNECTING attempt \(connection.attempt) since \(TimeText.clock(connection.since)) \(glyphs.dash) "
                + "events may be missed (gap \(TimeText.span(Double(max(0, gap)))))"
            if let reason = connection.reason { banner! += " \(glyphs.dash) \(reason)" }
        }
        return HeaderModel(topLeft: topLeft, topRight: topRight, bottomLeft: bottomLeft, bottomRight: bottomRight, banner: banner)
    }
}
