import TerminalUI

extension AppState {
    /// The footer's key hints (and a dialog's buttons): from the key table for the active scopes,
    /// except that a dialog with nothing to confirm offers only its close keys.
    /// A requeue dialog that skips tasks already requeued also offers `f` to send them anyway.
    public var footerHints: [KeyHint] {
        var force: [KeyHint] = []
        if case .confirm(let confirmation) = mode, confirmation.requeueDialog?.offersForce == true {
            force = keymap.bindings.filter { $0.scope == .dialog && $0.command == .forceRequeue }.map { KeyHint($0.keyLabel, "send anyway") }
        }
        if case .confirm(let confirmation) = mode, confirmation.effect == nil {
            return force + keymap.bindings.filter { $0.scope == .dialog && $0.command == .cancel }.map { KeyHint($0.keyLabel, "close") }
        }
        let hints = keymap.hints(in: activeScopes)
        guard !force.isEmpty, let cancel = hints.firstIndex(where: { $0.label == "cancel" }) else { return hints }
        return Array(hints[..<cancel]) + force + Array(hints[cancel...])
    }

    /// Seconds connected without a single event before the status line says what is watched.
    public static let silenceSeconds = 10.0

    /// Until the first event: which broker is used when the user named none, and after `silenceSeconds`
    /// connected without events, which db and channel pattern are watched and why they may be silent.
    public var brokerNotice: String? {
        let connection = link.connection
        guard monitor.stats.events == 0 else { return nil }
        let silent = now - connection.since
        if connection.phase == .connected, silent >= AppState.silenceSeconds {
            let db = AppState.database(of: connection.redactedURL)
            return "No events for \(TimeText.age(silent)) on db \(db) (pattern \(connection.pattern))"
                + (defaultBroker == nil ? "" : " of the default broker")
                + ": workers may publish to another db, or run without -E."
        }
        guard let defaultBroker else { return nil }
        return "No --broker and no CELERY_BROKER_URL: using the default \(defaultBroker)."
    }

    /// The db of a redacted broker URL: its path (`redis://h:6379/3`) or `?db=N` (unix sockets); 0 if none.
    static func database(of url: String) -> Int {
        if let query = url.split(separator: "?").dropFirst().first,
           let value = query.split(separator: "&").first(where: { $0.hasPrefix("db=") }) {
            return Int(value.dropFirst(3)) ?? 0
        }
        // scheme, "", authority, path...: `redis://h:6379/3` splits into ["redis:", "", "h:6379", "3"].
        let parts = url.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].hasSuffix(":"), parts[1].isEmpty else { return 0 }
        return Int(parts[3].prefix { $0.isNumber }) ?? 0
    }

    /// The status line at `now`: the input being typed, a requeue preview being prepared, the latest
    /// message, or the filter; marks on the right.
    public func statusModel() -> StatusModel {
        let hint = theme[.muted]
        let cursor = Span(" ", style: theme[.selection])
        switch mode {
        case .filter(let draft, _):
            let unknown = TaskFilter(parsing: draft).unknownQualifiers
            let right: Span = unknown.isEmpty
                ? Span("name: state: worker: exc: queue:  !negates  Enter apply  Esc clear ", style: hint)
                : Span("unknown qualifier \(unknown.map { $0 + ":" }.joined(separator: " ")) \(glyphs.dash) use name: state: worker: exc: queue: ",
                       style: theme[.failureStrong])
            return StatusModel(left: [Span(" / ", style: theme[.accent]), Span(draft), cursor], right: [right])
        case .workerInput(let input):
            let prompt: String
            let help: String
            let on = input.destination.map { "on \($0.joined(separator: ", "))" } ?? "on every worker"
            switch input.kind {
            case .rateLimit(let task):
                prompt = " rate limit for \(task) \(on): "
                help = "N/s N/m N/h, 0 lifts  Enter review  Esc cancel "
            case .consumer:
                prompt = " stop consuming queue \(on): "
                help = "+queue resumes  Enter review  Esc cancel "
            }
            return StatusModel(
                left: [Span(prompt, style: theme[.accent]), Span(input.draft), cursor],
                right: [Span(help, style: hint)])
        case .goToID(let draft):
            return StatusModel(
                left: [Span(" go to id: ", style: theme[.accent]), Span(draft), cursor],
                right: [Span("paste a task id or a unique prefix (4+ chars)  Enter open  Esc cancel ", style: hint)])
        default:
            break
        }
        var left: [Span] = []
        if let pending = pendingRequeue {
            let count = pending.request.subjects.count
            left.append(Span(" Preparing requeue preview of \(NumberText.grouped(count)) \(count == 1 ? "task" : "tasks")"
                + " (finding exact arguments)\(glyphs.ellipsis)", style: theme[.info]))
        } else if let status = visibleStatus {
            let style: Style = switch status.severity {
            case .info: .plain
            case .success: theme[.success]
            case .warning: theme[.warningStrong]
            case .error: theme[.failureStrong]
            }
            left.append(Span(" " + status.text, style: style))
        } else if !filterText.isEmpty {
            left.append(Span(" filter ", style: theme[.accent]))
            left.append(Span(filterText, style: theme[.strong]))
            left.append(Span("  / edits, Esc clears", style: hint))
        } else if link.journal.mode == .failed, let error = link.journal.error {
            left.append(Span(" " + error + " (live monitoring carries on)", style: theme[.failureStrong]))
        } else if let notice = brokerNotice {
            left.append(Span(" " + notice, style: theme[.warningStrong]))
        }
        var right: [Span] = []
        if let replay {
            let state = replay.paused ? "REPLAY paused" : "REPLAY \(NumberText.compact(replay.speed))x"
            right.append(Span(" \(state) ", style: theme[.frozenBadge]))
            right.append(Span(" \(TimeText.clock(replay.time))  event \(NumberText.grouped(replay.delivered))/\(NumberText.grouped(replay.total)) ",
                              style: theme[.strong]))
            right.append(Span("z \(replay.paused ? "play" : "pause")  . step  < > 10s ", style: hint))
        }
        if !marks.isEmpty {
            right.append(Span(" \(glyphs.mark) \(NumberText.grouped(marks.count)) marked ", style: theme[.accent]))
            right.append(Span("(u clears) ", style: hint))
        }
        return StatusModel(left: left, right: right)
    }
}
