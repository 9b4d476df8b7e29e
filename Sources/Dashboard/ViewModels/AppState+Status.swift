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

    /// The status line at `now`: the input being typed, a requeue preview being prepared, the latest
    /// message, or the filter; marks on the right.
    public func statusModel() -> StatusModel {
        let hint = Style(dim: true)
        let cursor = Span(" ", style: Style(reverse: true))
        switch mode {
        case .filter(let draft, _):
            return StatusModel(
                left: [Span(" / ", style: Style(fg: .cyan, bold: true)), Span(draft), cursor],
                right: [Span("name: state: worker: exc: queue:  !negates  Enter apply  Esc clear ", style: hint)])
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
                left: [Span(prompt, style: Style(fg: .cyan, bold: true)), Span(input.draft), cursor],
                right: [Span(help, style: hint)])
        case .goToID(let draft):
            return StatusModel(
                left: [Span(" go to id: ", style: Style(fg: .cyan, bold: true)), Span(draft), cursor],
                right: [Span("paste a task id or a unique prefix (4+ chars)  Enter open  Esc cancel ", style: hint)])
        default:
            break
        }
        var left: [Span] = []
        if let pending = pendingRequeue {
            let count = pending.request.subjects.count
            left.append(Span(" Preparing requeue preview of \(TimeText.count(count)) \(count == 1 ? "task" : "tasks")"
                + " (finding exact arguments)\(glyphs.ellipsis)", style: Style(fg: .cyan)))
        } else if let status = visibleStatus {
            let style: Style = switch status.severity {
            case .info: .plain
            case .success: Style(fg: .green)
            case .warning: Style(fg: .yellow, bold: true)
            case .error: Style(fg: .red, bold: true)
            }
            left.append(Span(" " + status.text, style: style))
        } else if !filterText.isEmpty {
            left.append(Span(" filter ", style: Style(fg: .cyan, bold: true)))
            left.append(Span(filterText, style: Style(bold: true)))
            left.append(Span("  / edits, Esc clears", style: hint))
        }
        var right: [Span] = []
        if !marks.isEmpty {
            right.append(Span(" \(glyphs.mark) \(TimeText.count(marks.count)) marked ", style: Style(fg: .cyan, bold: true)))
            right.append(Span("(u clears) ", style: hint))
        }
        return StatusModel(left: left, right: right)
    }
}
