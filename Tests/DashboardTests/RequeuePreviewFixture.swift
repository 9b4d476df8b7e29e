import Actions
import Dashboard
import Monitor

/// Deterministic port answers for the requeue flow: a preview built from the request the dashboard
/// emitted, and progress snapshots of a run of it.
///
/// Why: the dashboard tests and golden screens need the preview the runtime would send back
/// (`CommandResult.requeuePreview`) without a broker. Sources rotate through a fixed list so a bulk
/// preview shows several; the ids in `refuse` are refused with the planner's wording.
enum RequeuePreviewFixture {
    /// The reason a task without any exact source is refused, as `RequeuePlanner` words it.
    static let truncatedReason = "no exact arguments found (result_backend: skipped, no --result-backend given and "
        + "$CELERY_RESULT_BACKEND is unset; queue: not waiting in celery; unacked: not reserved; inspect: no worker "
        + "reports it; event repr: args repr is truncated (ends with ...))"

    /// A preview of `request`: every subject planned except `refuse`, sources by `sources` in turn,
    /// and `duplicates` listed as dropped.
    static func preview(
        _ request: RequeueRequest, refuse: Set<String> = [], duplicates: [String] = [],
        sources: [ArgumentSource] = [.resultBackend, .resultBackend, .queue, .resultBackend, .unacked]
    ) -> RequeuePreview {
        var preview = RequeuePreview(duplicates: duplicates)
        for (index, subject) in request.subjects.enumerated() {
            if refuse.contains(subject.id) {
                preview.refusals.append(RequeueRefusal(id: subject.id, reason: truncatedReason))
            } else {
                preview.plans.append(RequeuePlan(
                    originalID: subject.id, name: subject.name ?? "tasks.unknown", args: "[1]", kwargs: "{}",
                    source: sources[index % sources.count], queue: subject.queue ?? "celery"))
                // As the planner does: a copy linked in this run marks the plan as a repeat.
                if let copy = subject.requeuedAs { preview.alreadyRequeued[subject.id] = copy }
            }
        }
        return preview
    }

    /// The request of the pending preview, after `R` or `A`.
    static func pendingRequest(_ state: AppState) -> RequeueRequest? {
        state.pendingRequeue?.request
    }

    /// A snapshot of a run of `preview` with the first `sent` plans sent (copies `copy-<n>`).
    static func progress(_ preview: RequeuePreview, sent: Int, paused: Bool = false, finished: Bool = false) -> RequeueProgress {
        var progress = RequeueProgress(total: preview.total)
        for refusal in preview.refusals {
            progress.outcomes.append(RequeueOutcome(originalID: refusal.id, status: .refused, detail: refusal.reason))
            progress.refused += 1
        }
        for (index, plan) in preview.plans.prefix(sent).enumerated() {
            progress.outcomes.append(RequeueOutcome(
                originalID: plan.originalID, status: .sent, newID: copyID(index), name: plan.name, source: plan.source,
                queue: plan.queue, at: Double(index) * 0.05))
            progress.sent += 1
        }
        progress.sendingSeconds = Double(max(0, sent - 1)) * 0.05
        progress.paused = paused
        progress.finished = finished
        return progress
    }

    /// The new task id of the `index`th copy.
    static func copyID(_ index: Int) -> String {
        let digits = String(index + 1)
        return "c0c0c0c0-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }
}
