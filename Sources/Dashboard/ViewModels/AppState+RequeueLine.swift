import Actions
import Monitor
import TerminalUI

extension AppState {
    /// Columns of the progress bar in the requeue line (narrow: below 100 columns).
    static let requeueBarWidth = 20
    static let narrowRequeueBarWidth = 10

    /// The requeue line under the header: progress, pace, counts and the keys that pause and abort
    /// while a run is active; the summary for `requeueSummarySeconds` after it ended; nil otherwise.
    ///
    /// `Requeue 45/200 ▕████▌    ▏ 20/s ±10%  sent 44  refused 1  failed 0  ~0:08 left    P pause  C abort`
    /// Below 100 columns the bar is shorter and the time left is left out, so 80 columns fit it all.
    public func requeueLineModel() -> StatusModel? {
        guard let run = requeue else { return nil }
        let progress = run.progress
        let key = theme[.accent]
        let narrow = width < 100
        let counts = "\(NumberText.grouped(progress.done))/\(NumberText.grouped(progress.total))"
        var left: [Span] = []
        var right: [Span] = []
        if run.isRunning {
            if run.abortRequested {
                left.append(Span(" Requeue aborting \(counts) ", style: theme[.warningStrong]))
            } else if progress.paused {
                left.append(Span(" Requeue PAUSED \(counts) ", style: theme[.warningStrong]))
            } else {
                left.append(Span(" Requeue \(counts) ", style: theme[.accent]))
            }
            left.append(Span(ProgressBar(fraction: progress.fraction).render(width: narrow ? AppState.narrowRequeueBarWidth : AppState.requeueBarWidth, glyphs: glyphs), style: theme[.info]))
            left.append(Span(" \(Confirmation.paceText(run.pace, spelled: false))  "))
            left += countSpans(progress)
            if run.pace.rate.isFinite, !progress.paused, !run.abortRequested, !narrow {
                let seconds = Int(saturating: (Double(max(0, progress.total - progress.done)) / run.pace.rate).rounded(.up))
                left.append(Span("  ~\(TimeText.duration(seconds: seconds)) left", style: theme[.muted]))
            }
            let pause = keymap.keyLabel(of: .togglePauseRequeue)
            let abort = keymap.keyLabel(of: .abortRequeue)
            right = [
                Span(pause, style: key), Span(progress.paused ? " resume  " : " pause  "),
                Span(abort, style: key), Span(" abort "),
            ]
        } else {
            let stopped = progress.aborted || progress.done < progress.total
            let verb = stopped ? "stopped after" : "finished"
            let style = stopped || progress.refused + progress.failed > 0 ? theme[.warningStrong] : theme[.successStrong]
            left.append(Span(" Requeue \(verb) \(counts) in \(TimeText.span(progress.sendingSeconds))  ", style: style))
            left += countSpans(progress)
            if let reason = progress.stopReason { left.append(Span("  \(glyphs.dash) \(reason)", style: theme[.muted])) }
            if let copy = progress.links.first?.copy, progress.sent == 1 {
                left.append(Span("  new id \(copy)", style: theme[.info]))
            }
        }
        return StatusModel(left: left, right: right)
    }

    /// `sent 44  refused 1  failed 0`, non-zero problems highlighted.
    private func countSpans(_ progress: RequeueProgress) -> [Span] {
        [
            Span("sent \(NumberText.grouped(progress.sent))", style: theme[.success]),
            Span("  refused \(NumberText.grouped(progress.refused))", style: progress.refused > 0 ? theme[.warning] : theme[.muted]),
            Span("  failed \(NumberText.grouped(progress.failed))", style: progress.failed > 0 ? theme[.failureStrong] : theme[.muted]),
        ]
    }
}
