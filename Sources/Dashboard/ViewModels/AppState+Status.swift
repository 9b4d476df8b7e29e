import TerminalUI

extension AppState {
    /// The status line at `now`.
    public func statusModel() -> StatusModel {
        let hint = Style(dim: true)
        let cursor = Span(" ", style: Style(reverse: true))
        switch mode {
        case .filter(let draft, _):
            return StatusModel(
                left: [Span(" / ", style: Style(fg: .cyan, bold: true)), Span(draft), cursor],
                right: [Span("name: state: worker: exc: queue:  !negates  Enter apply  Esc clear ", style: hint)])
        case .goToID(let draft):
            return StatusModel(
                left: [Span(" go to id: ", style: Style(fg: .cyan, bold: true)), Span(draft), cursor],
                right: [Span("paste a task id or a unique prefix (4+ chars)  Enter open  Esc cancel ", style: hint)])
        default:
            break
        }
        var left: [Span] = []
        if let status = visibleStatus {
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
        if let progress = requeueProgress {
            let state = progress.paused ? " paused" : ""
            right.append(Span("requeue\(state) \(progress.done)/\(progress.total) "))
            right.append(Span(ProgressBar(fraction: progress.fraction).render(width: 12, glyphs: glyphs), style: Style(fg: .cyan)))
            right.append(Span("  "))
        }
        if !marks.isEmpty {
            right.append(Span(" \(glyphs.mark) \(TimeText.count(marks.count)) marked ", style: Style(fg: .cyan, bold: true)))
            right.append(Span("(u clears) ", style: hint))
        }
        return StatusModel(left: left, right: right)
    }
}
