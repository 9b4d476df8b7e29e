import Actions
import Monitor

/// The requeue flow: `R`/`A` ask for a dry-run preview, the preview opens the one confirmation
/// dialog, `y` starts the paced run, `P`/`C` pause and abort it, and progress snapshots link each
/// copy to its original and feed the progress line under the header.
extension AppState {
    /// Remembers the requeue and asks the port for its preview; refuses while another is pending or running.
    mutating func askForRequeuePreview(_ ids: [String], scope: String?) -> [Effect] {
        if let requeue, requeue.isRunning {
            let keys = [Command.togglePauseRequeue, .abortRequeue].map { keymap.keyLabel(of: $0) }
            setStatus("A requeue is running (\(requeue.progress.done)/\(requeue.progress.total)); "
                + "wait for it, or abort it with \(keys[1]) (\(keys[0]) pauses).", .warning)
            return []
        }
        guard pendingRequeue == nil else {
            setStatus("Still preparing the previous requeue preview\(glyphs.ellipsis)", .info)
            return []
        }
        let model = viewed
        let subjects = ids.map { id in model.tasks[id].map(RequeueSubject.init(record:)) ?? RequeueSubject(id: id) }
        let request = RequeueRequest(subjects: subjects, pace: ids.count > 1 ? requeuePace : .unpaced)
        pendingRequeue = PendingRequeue(request: request, scope: scope)
        return [.previewRequeue(request)]
    }

    /// Opens the requeue dialog from the port's preview of the pending requeue (ignored if none is pending).
    mutating func openRequeueConfirmation(_ preview: RequeuePreview) {
        guard let pending = pendingRequeue else { return }
        pendingRequeue = nil
        if case .confirm = mode {
            setStatus("Requeue preview dropped: another dialog is open; press the key again.", .warning)
            return
        }
        mode = .confirm(Confirmation.requeue(preview, pending: pending, monitor: viewed))
    }

    /// Pauses, resumes or aborts the running requeue; says so when none runs.
    ///
    /// The flags are set at once so the progress line answers the key before the next progress
    /// snapshot confirms it; the snapshot is the truth once it arrives.
    mutating func controlRequeue(_ command: Command) -> [Effect] {
        guard var run = requeue, run.isRunning else {
            setStatus("No requeue is running: \(keymap.keyLabel(of: .togglePauseRequeue)) and \(keymap.keyLabel(of: .abortRequeue)) "
                + "pause and abort a requeue started with \(keymap.keyLabel(of: .requeue)) or \(keymap.keyLabel(of: .requeueFailedOfGroup)).", .info)
            return []
        }
        let effect: Effect
        if command == .abortRequeue {
            run.abortRequested = true
            effect = .abortRequeue
            setStatus("Aborting the requeue: nothing more will be sent (\(run.progress.sent) sent so far).", .warning)
        } else if run.progress.paused {
            run.progress.paused = false
            effect = .resumeRequeue
            setStatus("Requeue resumed at \(Confirmation.paceText(run.pace)).", .info)
        } else {
            run.progress.paused = true
            effect = .pauseRequeue
            setStatus("Requeue paused after \(run.progress.done)/\(run.progress.total); \(keymap.keyLabel(of: .togglePauseRequeue)) resumes.", .info)
        }
        requeue = run
        return [effect]
    }

    /// Links each sent copy to its original (both ways, live and frozen), keeps the snapshot for the
    /// progress line and, when the run ends, says how it went.
    mutating func applyRequeueProgress(_ progress: RequeueProgress) {
        for link in progress.links {
            let name = progress.outcomes.first { $0.originalID == link.original }?.name ?? monitor.tasks[link.original]?.name
            monitor.linkRequeue(original: link.original, copy: link.copy, name: name, at: now)
            frozen?.linkRequeue(original: link.original, copy: link.copy, name: name, at: now)
            marks.remove(link.original)
        }
        let wasFinished = requeue?.finishedAt != nil
        var run = requeue ?? RequeueActivity(pace: requeuePace, progress: progress, startedAt: now)
        run.progress = progress
        if progress.finished, run.finishedAt == nil { run.finishedAt = now }
        requeue = run
        guard progress.finished, !wasFinished else { return }
        report = .requeue(progress, skipped: run.skipped)
        var text = "Requeue \(progress.aborted ? "aborted" : "finished"): \(progress.sent) sent"
        if progress.refused > 0 { text += ", \(progress.refused) refused" }
        if progress.failed > 0 { text += ", \(progress.failed) failed" }
        if let refusal = progress.outcomes.first(where: { $0.status != .sent }), let detail = refusal.detail {
            text += " (\(refusal.originalID.prefix(8))…: \(detail))"
        } else if let link = progress.links.first, progress.sent == 1 {
            text += " (\(link.original.prefix(8))… is now \(link.copy))"
        }
        if let reason = progress.stopReason { text += "; \(reason)" }
        setStatus(text + ".", progress.refused + progress.failed > 0 ? .warning : .success)
    }
}
