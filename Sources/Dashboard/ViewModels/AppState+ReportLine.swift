import Actions
import Monitor
import TerminalUI

extension AppState {
    /// The outcome line of the last action, rebuilt from what followed (events and replies); nil when
    /// dismissed or nothing was done yet.
    ///
    /// `Revoke: 62 targeted: 51 revoked while waiting, 2 were running …, 2 no answer yet     o dismiss`
    public func reportLineModel() -> StatusModel? {
        guard let report else { return nil }
        let dismiss = [Span(keymap.keyLabel(of: .dismissReport), style: theme[.accent]), Span(" dismiss ")]
        let (text, settled): (String, Bool) = switch report {
        case .revoke(let tally):
            revokeReportText(tally.counted(in: monitor))
        case .requeue(let progress, let skipped):
            requeueReportText(progress, skipped: skipped)
        case .workers(let answer):
            workersReportText(answer)
        }
        let style = settled ? theme[.successStrong] : theme[.warningStrong]
        return StatusModel(left: [Span(" \(glyphs.pointer) ", style: style), Span(text, style: style)], right: dismiss)
    }

    private func revokeReportText(_ counted: RevokeTally) -> (String, Bool) {
        ("\(counted.terminate ? "Terminate" : "Revoke"): \(counted.text)", counted.isSettled)
    }

    /// `Requeue: 48 sent (30 succeeded, 2 failed again, 16 not seen yet), 2 refused, 48 already requeued (skipped)`.
    private func requeueReportText(_ progress: RequeueProgress, skipped: Int) -> (String, Bool) {
        var succeeded = 0, failed = 0, running = 0, unseen = 0
        for link in progress.links {
            switch monitor.tasks[link.copy]?.state {
            case .success: succeeded += 1
            case .failure, .revoked, .rejected: failed += 1
            case nil, .pending: unseen += 1
            default: running += 1
            }
        }
        var copies: [String] = []
        if succeeded > 0 { copies.append("\(succeeded) succeeded") }
        if failed > 0 { copies.append("\(failed) failed again") }
        if running > 0 { copies.append("\(running) running or retrying") }
        if unseen > 0 { copies.append("\(unseen) not seen yet") }
        var text = "Requeue \(progress.aborted ? "aborted" : "done"): \(progress.sent) sent"
        if !copies.isEmpty { text += " (" + copies.joined(separator: ", ") + ")" }
        if progress.refused > 0 { text += ", \(progress.refused) refused" }
        if progress.failed > 0 { text += ", \(progress.failed) failed to send" }
        if skipped > 0 { text += ", \(skipped) already requeued (skipped)" }
        return (text, running + unseen == 0 && progress.refused + progress.failed == 0)
    }

    /// `rate limit tasks.fetch = 10/m on all workers: 2 ok; 2 workers × 10/m = 20/m in total; read back: w1@vm 10/m, w2@vm 10/m`.
    private func workersReportText(_ answer: WorkerChangeResult) -> (String, Bool) {
        let request = answer.request
        let lead: String = switch request.purpose {
        case .apply: "\(request.change.summary) on \(request.destinationText)"
        case .undo: "Undone, restored \(request.change.summary) on \(request.destinationText)"
        case .reapply: "Re-applied to \(request.destinationText) (came online): \(request.change.summary)"
        }
        var text = "\(lead): \(answer.summary)"
        if case .rateLimit(_, let rate) = request.change, let perMinute = WorkerChange.perMinute(rate), !answer.readBack.isEmpty {
            let count = answer.readBack.values.filter { $0 == rate }.count
            text += "; \(count) \(count == 1 ? "worker" : "workers") × \(rate) = \(NumberText.compact((perMinute * Double(count) * 10).rounded() / 10))/m in total"
        }
        text += "; read back: \(answer.readBackText())"
        return (text, answer.errors.isEmpty && answer.missing.isEmpty && !answer.ok.isEmpty)
    }

    /// One row per change retrytop made to the workers and has not undone, newest first; when more
    /// than `maxChangeRows` exist, the last row counts the older ones.
    public func changeLineModels() -> [StatusModel] {
        guard !workerChanges.isEmpty else { return [] }
        let newestFirst = Array(workerChanges.reversed())
        let rows = min(newestFirst.count, AppState.maxChangeRows)
        let key = theme[.accent]
        var models: [StatusModel] = []
        for (index, entry) in newestFirst.prefix(rows).enumerated() {
            let older = newestFirst.count - rows
            if index == rows - 1, older > 0 {
                models.append(StatusModel(left: [Span(" + \(older + 1) older changes by retrytop (U undoes the newest first)", style: theme[.changed])], right: []))
                break
            }
            let on = entry.destination.map { $0.joined(separator: ", ") } ?? "every worker"
            var text = " changed by retrytop: \(entry.change.summary) on \(on) (\(entry.appliedOn.count) applied"
            if case .rateLimit = entry.change, let was = Set(entry.previous.values).sorted().first, entry.previous.count > 0 {
                text += Set(entry.previous.values).count == 1 ? "; was \(WorkerChange.rateText(was))" : "; was mixed"
            }
            text += ")" + (entry.undoing ? " undoing\(glyphs.ellipsis)" : "")
            let right = index == 0 ? [Span(keymap.keyLabel(of: .undoWorkerChange), style: key), Span(" undo ")] : []
            models.append(StatusModel(left: [Span(text, style: theme[.changed].bold(index == 0))], right: right))
        }
        return models
    }
}
