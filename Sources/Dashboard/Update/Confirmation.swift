import Actions
import Monitor

/// The one confirmation state of the app: what a dangerous command will do, and the `Effect` that `y` emits.
///
/// Every dangerous command builds one of these; nothing else emits a dangerous effect. The text says
/// exactly what will happen: the action, how many tasks, which names, and the caveats that matter in a
/// storm (a plain revoke does not stop a running task; requeue needs exact arguments; bulk pace).
/// A requeue dialog is built from the port's dry-run preview, so what `y` sends is what was shown.
public struct Confirmation: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    /// Emitted on `y`; nothing is emitted on `n` or Esc. Nil when there is nothing to do (every
    /// task of a requeue refused): the dialog only informs, and `y` is not offered.
    public var effect: Effect?
    /// A requeue dialog's preview and choices, so `f` can rebuild it to send tasks already requeued.
    public var requeueDialog: RequeueDialog?
    /// A revoke limited to states: on `y`, only the tasks still in one of them are sent (the others
    /// finished or moved on while the dialog was open).
    public var recheckStates: Set<TaskState>?
    /// A revoke of a name's retrying tasks (`D`): `t` rebuilds it to terminate the running ones too.
    public var revokeByName: String?

    public init(
        title: String, lines: [String], effect: Effect?, requeueDialog: RequeueDialog? = nil, recheckStates: Set<TaskState>? = nil,
        revokeByName: String? = nil
    ) {
        self.title = title
        self.lines = lines
        self.effect = effect
        self.requeueDialog = requeueDialog
        self.recheckStates = recheckStates
        self.revokeByName = revokeByName
    }

    /// Names shown in a dialog before "and N more".
    static let maxNamesShown = 4

    /// A revoke (or terminate) of `ids`, described from the model; with `onlyState`, `y` sends only the
    /// ids still in that state (checked again when confirmed).
    static func revoke(
        _ ids: [String], terminate: Bool, scope: String?, monitor: MonitorState, onlyStates: Set<TaskState>? = nil, byName: String? = nil
    ) -> Confirmation {
        let tasks = ids.compactMap { monitor.tasks[$0] }
        let noun = ids.count == 1 ? "task" : "tasks"
        let verb = terminate ? "Terminate" : "Revoke"
        var lines: [String] = []
        let target = scope.map { " (\($0))" } ?? ""
        if terminate {
            lines.append("Revoke \(NumberText.grouped(ids.count)) \(noun)\(target) and send SIGTERM to the worker process running any of them.")
        } else {
            lines.append("Revoke \(NumberText.grouped(ids.count)) \(noun)\(target): workers will discard them instead of running them.")
        }
        lines.append(namesLine(tasks, unknown: ids.count - tasks.count))
        lines.append(statesLine(tasks))
        let running = tasks.filter { $0.state == .started }.count
        let waiting = tasks.filter { $0.state == .retry }.count
        if waiting > 0 { lines.append("\(waiting) waiting in backoff will not run again.") }
        if running > 0 {
            if terminate {
                lines.append("\(running) running now: the worker kills the process with SIGTERM; work in progress is lost.")
            } else {
                lines.append(byName == nil
                    ? "\(running) running now: a plain revoke does not stop a running task; use X to terminate."
                    : "\(running) running now: a plain revoke does not stop a running task; t terminates them too.")
            }
        }
        let finished = tasks.filter { $0.state.isFinished }.count
        if finished > 0 { lines.append("\(finished) already finished: nothing to stop for those.") }
        if let byName, !terminate {
            let others = monitor.tasks(named: byName, in: .started).filter { !ids.contains($0) }.count
            if others > 0 {
                lines.append("\(NumberText.grouped(others)) more \(byName) running now (not included): t adds them and terminates them (SIGTERM).")
            }
        }
        if let onlyStates {
            let names = onlyStates.sorted().map(\.rawValue).joined(separator: " or ")
            lines.append("Only tasks still in \(names) are sent: checked again when you press y.")
        }
        let request = RevokeRequest(ids: ids, terminate: terminate, signal: RevokeRequest.defaultSignal)
        return Confirmation(
            title: "\(verb) \(NumberText.grouped(ids.count)) \(noun)?", lines: lines, effect: .revoke(request), recheckStates: onlyStates,
            revokeByName: byName)
    }

    /// Distinct refusal reasons shown in a requeue dialog before "and N more reasons".
    static let maxReasonsShown = 2

    /// A requeue as the port previewed it: how many will be sent, from which argument sources, which
    /// are refused and why (with how to enable exact requeue), duplicates dropped, and the pace.
    ///
    /// When every task is refused the dialog has no effect: `y` does nothing and only closing is offered.
    /// Repair once: tasks already requeued are skipped and counted, and `f` rebuilds the dialog with
    /// `force` to send them again; when all are repeats, `y` does nothing until `f`.
    static func requeue(_ full: RequeuePreview, pending: PendingRequeue, monitor: MonitorState, force: Bool = false) -> Confirmation {
        let pace = pending.request.pace
        let repeats = full.repeats.count
        let preview = force ? full : full.skippingAlreadyRequeued()
        let considered = full.total
        let sending = preview.plans.count
        let noun = considered == 1 ? "task" : "tasks"
        let target = pending.scope.map { " (\($0))" } ?? ""
        var lines: [String] = []
        if sending == 0, repeats > 0, !force {
            lines.append("Nothing new to send: \(NumberText.grouped(repeats)) of \(NumberText.grouped(considered)) \(noun)\(target) "
                + "\(repeats == 1 ? "was" : "were") requeued already.")
        } else if sending == 0 {
            lines.append("No exact arguments for \(considered == 1 ? "the" : "any of the \(NumberText.grouped(considered))") \(noun)\(target): "
                + "nothing will be sent. retrytop never guesses arguments.")
        } else {
            lines.append("Send \(NumberText.grouped(sending)) of \(NumberText.grouped(considered)) \(noun)\(target) again as new tasks: new task ids, "
                + "same name, exact args and kwargs, original queue and priority.")
            lines.append("Names: " + countsText(preview.plans.map(\.name)))
            let sources = ArgumentSource.allCases.compactMap { source in
                preview.countsBySource[source].map { "\(NumberText.grouped($0)) \(sourceLabel(source))" }
            }
            lines.append("Arguments from: " + sources.joined(separator: ", "))
            lines.append("Queues: " + countsText(preview.plans.map(\.queue)))
        }
        if repeats > 0 {
            lines.append(force
                ? "\(NumberText.grouped(repeats)) already requeued: sending them again (forced with f); each gets one more copy."
                : "\(NumberText.grouped(repeats)) already requeued (skipped); send anyway with f.")
        }
        if !preview.duplicates.isEmpty {
            lines.append("\(NumberText.grouped(preview.duplicates.count)) duplicate ids dropped: each task is sent at most once.")
        }
        if sending > 0 {
            lines.append("")
            let unfinished = preview.plans.filter { monitor.tasks[$0.originalID].map { !$0.state.isFinished } ?? false }.count
            if unfinished > 0 { lines.append("\(unfinished) not finished yet: the copy runs in addition to the original.") }
            if sending > 1, pace.rate.isFinite {
                let seconds = Int(saturating: (Double(sending - 1) / pace.rate).rounded(.up))
                lines.append("Paced at \(paceText(pace)): about \(TimeText.duration(seconds: seconds)) to finish; progress shows under the header.")
            } else {
                lines.append(sending == 1 ? "One message, sent at once." : "Sent unpaced, as fast as the broker takes them.")
            }
        }
        if !preview.refusals.isEmpty {
            lines.append("")
            lines.append("Refused \(NumberText.grouped(preview.refusals.count)) (no exact arguments):")
            var byReason: [(reason: String, ids: [String])] = []
            for refusal in preview.refusals {
                if let index = byReason.firstIndex(where: { $0.reason == refusal.reason }) {
                    byReason[index].ids.append(refusal.id)
                } else {
                    byReason.append((refusal.reason, [refusal.id]))
                }
            }
            for group in byReason.prefix(maxReasonsShown) {
                var ids = group.ids.prefix(2).map { String($0.prefix(8)) }
                if group.ids.count > 2 { ids.append("+\(group.ids.count - 2) more") }
                lines.append("\(NumberText.grouped(group.ids.count)) × \(group.reason) [\(ids.joined(separator: ", "))]")
            }
            if byReason.count > maxReasonsShown {
                lines.append("and \(byReason.count - maxReasonsShown) more reasons (the audit log and `retrytop requeue --dry-run` list them all).")
            }
            var remedies: [String] = []
            for refusal in preview.refusals where !remedies.contains(refusal.remedy) { remedies.append(refusal.remedy) }
            if let remedy = remedies.first { lines.append("How to enable exact requeue: \(remedy).") }
        }
        let title = sending > 0
            ? "Requeue \(NumberText.grouped(sending)) \(sending == 1 ? "task" : "tasks")?"
            : repeats > 0 ? "Nothing to requeue: \(NumberText.grouped(repeats)) already requeued"
            : "Nothing to requeue: \(NumberText.grouped(considered)) refused"
        return Confirmation(
            title: title, lines: lines, effect: sending == 0 ? nil : .startRequeue(preview, pace),
            requeueDialog: RequeueDialog(preview: full, pending: pending, force: force))
    }

    /// How the dialog and the progress line name an argument source.
    static func sourceLabel(_ source: ArgumentSource) -> String {
        switch source {
        case .resultBackend: "result backend"
        case .queue: "queued message"
        case .unacked: "unacked message"
        case .inspect: "inspect reply"
        case .eventRepr: "event repr"
        }
    }

    /// `3 × tasks.fetch_api_data, 1 × tasks.unreliable`, most frequent first, then "and N more".
    static func countsText(_ values: [String]) -> String {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var parts = sorted.prefix(maxNamesShown).map { "\(NumberText.grouped($0.value)) × \($0.key)" }
        if sorted.count > maxNamesShown { parts.append("and \(sorted.count - maxNamesShown) more") }
        return parts.joined(separator: ", ")
    }

    /// `20/s ±10% jitter` (`20/s ±10%` when not `spelled`), or `unpaced`.
    static func paceText(_ pace: RequeuePace, spelled: Bool = true) -> String {
        guard pace.rate.isFinite else { return "unpaced" }
        return "\(NumberText.compact(pace.rate))/s ±\(Int(saturating: (pace.jitter * 100).rounded()))%" + (spelled ? " jitter" : "")
    }

    /// `Names: 3 × tasks.fetch_api_data, 1 × tasks.unreliable`.
    static func namesLine(_ tasks: [TaskRecord], unknown: Int) -> String {
        var counts: [String: Int] = [:]
        for task in tasks { counts[task.name ?? "(unknown name)", default: 0] += 1 }
        if unknown > 0 { counts["(not tracked)", default: 0] += unknown }
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var parts = sorted.prefix(maxNamesShown).map { "\(NumberText.grouped($0.value)) × \($0.key)" }
        if sorted.count > maxNamesShown { parts.append("and \(sorted.count - maxNamesShown) more names") }
        return "Names: " + parts.joined(separator: ", ")
    }

    /// `States: 3 RETRY, 1 STARTED`.
    static func statesLine(_ tasks: [TaskRecord]) -> String {
        var counts: [TaskState: Int] = [:]
        for task in tasks { counts[task.state, default: 0] += 1 }
        let parts = counts.keys.sorted().map { "\(NumberText.grouped(counts[$0] ?? 0)) \($0.rawValue)" }
        return "States: " + (parts.isEmpty ? "none tracked" : parts.joined(separator: ", "))
    }
}
