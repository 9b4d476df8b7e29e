import Monitor

/// The one confirmation state of the app: what a dangerous command will do, and the `Effect` that `y` emits.
///
/// Every dangerous command builds one of these; nothing else emits a dangerous effect. The text says
/// exactly what will happen: the action, how many tasks, which names, and the caveats that matter in a
/// storm (a plain revoke does not stop a running task; requeue needs exact arguments; bulk pace).
public struct Confirmation: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    /// Emitted on `y`; nothing is emitted on `n` or Esc.
    public var effect: Effect

    public init(title: String, lines: [String], effect: Effect) {
        self.title = title
        self.lines = lines
        self.effect = effect
    }

    /// Names shown in a dialog before "and N more".
    static let maxNamesShown = 4

    /// A revoke (or terminate) of `ids`, described from the model.
    static func revoke(_ ids: [String], terminate: Bool, scope: String?, monitor: MonitorState) -> Confirmation {
        let tasks = ids.compactMap { monitor.tasks[$0] }
        let noun = ids.count == 1 ? "task" : "tasks"
        let verb = terminate ? "Terminate" : "Revoke"
        var lines: [String] = []
        let target = scope.map { " (\($0))" } ?? ""
        if terminate {
            lines.append("Revoke \(TimeText.count(ids.count)) \(noun)\(target) and send SIGTERM to the worker process running any of them.")
        } else {
            lines.append("Revoke \(TimeText.count(ids.count)) \(noun)\(target): workers will discard them instead of running them.")
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
                lines.append("\(running) running now: a plain revoke does not stop a running task; use X to terminate.")
            }
        }
        let finished = tasks.filter { $0.state.isFinished }.count
        if finished > 0 { lines.append("\(finished) already finished: nothing to stop for those.") }
        let request = RevokeRequest(ids: ids, terminate: terminate, signal: RevokeRequest.defaultSignal)
        return Confirmation(title: "\(verb) \(TimeText.count(ids.count)) \(noun)?", lines: lines, effect: .revoke(request))
    }

    /// A requeue of `ids` at `pace`, described from the model.
    static func requeue(_ ids: [String], pace: RequeuePace, scope: String?, monitor: MonitorState) -> Confirmation {
        let tasks = ids.compactMap { monitor.tasks[$0] }
        let noun = ids.count == 1 ? "task" : "tasks"
        let target = scope.map { " (\($0))" } ?? ""
        var lines: [String] = [
            "Requeue \(TimeText.count(ids.count)) \(noun)\(target): new task ids, same name, exact args and kwargs, "
                + "original queue; tasks without exact arguments will be refused.",
        ]
        lines.append(namesLine(tasks, unknown: ids.count - tasks.count))
        lines.append(statesLine(tasks))
        let truncated = tasks.filter { ($0.args ?? "").contains("...") || ($0.kwargs ?? "").contains("...") }.count
        if truncated > 0 {
            lines.append("\(truncated) have truncated argument reprs in events: they need the result backend, "
                + "a captured message or an inspect reply, else they are refused.")
        }
        let unfinished = tasks.filter { !$0.state.isFinished }.count
        if unfinished > 0 { lines.append("\(unfinished) not finished yet: the copy runs in addition to the original.") }
        if ids.count > 1 {
            let seconds = pace.rate.isFinite ? Int((Double(ids.count - 1) / pace.rate).rounded(.up)) : 0
            lines.append("Paced at \(paceText(pace)): about \(TimeText.duration(seconds: seconds)) to finish.")
        }
        let subjects = ids.map { id in monitor.tasks[id].map(RequeueSubject.init(record:)) ?? RequeueSubject(id: id) }
        let request = RequeueRequest(subjects: subjects, pace: ids.count > 1 ? pace : .unpaced)
        return Confirmation(title: "Requeue \(TimeText.count(ids.count)) \(noun)?", lines: lines, effect: .requeue(request))
    }

    /// `20/s ±10% jitter`.
    static func paceText(_ pace: RequeuePace) -> String {
        "\(TimeText.compactNumber(pace.rate))/s ±\(Int((pace.jitter * 100).rounded()))% jitter"
    }

    /// `Names: 3 × tasks.fetch_api_data, 1 × tasks.unreliable`.
    static func namesLine(_ tasks: [TaskRecord], unknown: Int) -> String {
        var counts: [String: Int] = [:]
        for task in tasks { counts[task.name ?? "(unknown name)", default: 0] += 1 }
        if unknown > 0 { counts["(not tracked)", default: 0] += unknown }
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var parts = sorted.prefix(maxNamesShown).map { "\(TimeText.count($0.value)) × \($0.key)" }
        if sorted.count > maxNamesShown { parts.append("and \(sorted.count - maxNamesShown) more names") }
        return "Names: " + parts.joined(separator: ", ")
    }

    /// `States: 3 RETRY, 1 STARTED`.
    static func statesLine(_ tasks: [TaskRecord]) -> String {
        var counts: [TaskState: Int] = [:]
        for task in tasks { counts[task.state, default: 0] += 1 }
        let parts = counts.keys.sorted().map { "\(TimeText.count(counts[$0] ?? 0)) \($0.rawValue)" }
        return "States: " + (parts.isEmpty ? "none tracked" : parts.joined(separator: ", "))
    }
}
