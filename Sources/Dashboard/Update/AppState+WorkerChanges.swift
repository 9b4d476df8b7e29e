import Actions
import Monitor
import TerminalUI

extension AppState {
    /// `L`, `Q`, `U`: opens the rate or queue prompt, or the undo confirmation of the newest change.
    ///
    /// Targets: the selected task's name (a rates row, a task, else the worst storm's name) for `L`; the
    /// selected task's queue (else `celery`) for `Q`; every worker, or only the selected one when the
    /// Workers pane has the focus, or only the worker of the worker view.
    mutating func prepareWorkerChange(_ command: Command) -> [Effect] {
        switch command {
        case .undoWorkerChange:
            guard let entry = workerChanges.last(where: { !$0.undoing }) else {
                setStatus("No change made by retrytop to undo.", .info)
                return []
            }
            guard !entry.undoRequests().isEmpty else {
                // No worker was in the other state before: nothing to restore, so nothing is sent.
                workerChanges.removeAll { $0.id == entry.id }
                setStatus("Removed \(entry.change.summary) from the list: \(entry.undoText).", .info)
                return []
            }
            ask(Confirmation.undo(entry))
            return []
        case .rateLimitName:
            guard let name = selectedTaskName() ?? stormAlerts.first?.name else {
                setStatus("Select a task or a rates row to choose the task name to throttle.", .info)
                return []
            }
            let current = policies[name]?.rateLimit.flatMap { WorkerChange.isNoLimit($0) ? nil : $0 }
            mode = .workerInput(WorkerInput(kind: .rateLimit(task: name), draft: current ?? WorkerInput.defaultRate, destination: chosenWorkers()))
        default:
            let queue = selectedTaskQueue() ?? AppState.defaultQueue
            mode = .workerInput(WorkerInput(kind: .consumer, draft: queue, destination: chosenWorkers()))
        }
        return []
    }

    /// The queue Celery uses when a task names none.
    static let defaultQueue = "celery"

    /// The worker of the worker view, or the selected worker when the Workers pane has the focus; nil
    /// (every worker) otherwise.
    func chosenWorkers() -> [String]? {
        if case .worker(let host) = screen { return [host] }
        guard screen == .overview, focusedPane == .workers, let host = selectedID(in: .workers) else { return nil }
        return [host]
    }

    /// The queue of the selected task (its `task-sent` queue or routing key).
    func selectedTaskQueue() -> String? {
        guard let id = actionTargets().first, let task = viewed.tasks[id] else { return nil }
        return task.queue ?? task.routingKey
    }

    /// Keys typed into the rate or queue prompt; Enter turns it into the confirmation.
    mutating func handleWorkerInputKey(_ key: Key, _ input: WorkerInput) -> [Effect] {
        var input = input
        switch keymap.command(for: key, in: [.input]) {
        case .acceptInput:
            mode = .normal
            openWorkerChangeConfirmation(input)
        case .cancelInput:
            mode = .normal
            setStatus("Cancelled: nothing was sent.", .info)
        case .deleteBackward:
            input.draft = String(input.draft.dropLast())
            mode = .workerInput(input)
        default:
            if case .char(let character) = key, input.draft.count < AppState.maxInputLength {
                input.draft.append(character)
                mode = .workerInput(input)
            }
        }
        return []
    }

    /// Characters a rate or queue prompt takes at most.
    static let maxInputLength = 200

    private mutating func openWorkerChangeConfirmation(_ input: WorkerInput) {
        let text = AppState.trimmed(input.draft)
        guard workerChanges.count < AppState.maxWorkerChanges else {
            setStatus("retrytop keeps at most \(AppState.maxWorkerChanges) changes to the workers; undo some with U first.", .warning)
            return
        }
        let online = monitor.onlineWorkerNames(at: now)
        let change: WorkerChange
        switch input.kind {
        case .rateLimit(let task):
            guard WorkerChange.isRate(text) else {
                setStatus("\"\(text)\" is not a rate: use N/s, N/m, N/h, or 0 to lift the limit.", .warning)
                return
            }
            change = .rateLimit(task: task, rate: text)
        case .consumer:
            let resume = text.hasPrefix("+")
            let queue = resume ? AppState.trimmed(String(text.dropFirst())) : text
            guard !queue.isEmpty else {
                setStatus("Type a queue name (+queue resumes it).", .warning)
                return
            }
            let cancelledHere = workerChanges.contains { $0.change == .cancelConsumer(queue: queue) && !$0.undoing }
            if cancelledHere, !resume {
                setStatus("retrytop already stopped queue \(queue): U undoes that change (or type +\(queue) to resume it).", .info)
                return
            }
            change = resume ? .addConsumer(queue: queue) : .cancelConsumer(queue: queue)
        }
        let request = WorkerChangeRequest(change: change, destination: input.destination, expected: input.destination ?? online)
        ask(Confirmation.workerChange(request, online: online, currentRate: taskName(of: change).map { policies[$0]?.rateLimit ?? "" }))
    }

    /// `text` without leading and trailing spaces.
    static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    private func taskName(of change: WorkerChange) -> String? {
        if case .rateLimit(let task, _) = change { return task }
        return nil
    }

    mutating func markUndoing(_ id: Int) {
        if let index = workerChanges.firstIndex(where: { $0.id == id }) { workerChanges[index].undoing = true }
    }

    /// The answer to a change: a new entry in the changes list (`.apply`, when some worker applied it),
    /// the entry gone (`.undo` that every addressed worker confirmed), more workers on it (`.reapply`).
    mutating func applyWorkerChange(_ answer: WorkerChangeResult) {
        report = .workers(answer)
        let request = answer.request
        let clean = answer.errors.isEmpty && answer.missing.isEmpty
        switch request.purpose {
        case .apply:
            guard !answer.ok.isEmpty else {
                setStatus("\(request.change.summary): no worker applied it (\(answer.summary)).", .error)
                return
            }
            workerChanges.append(WorkerChangeEntry(
                id: nextChangeID, change: request.change, destination: request.destination, previous: answer.previous,
                appliedOn: answer.ok.keys.sorted(), madeAt: now))
            nextChangeID += 1
            setStatus("\(request.change.summary): \(answer.summary). Listed under the header until undone (U).", clean ? .success : .warning)
        case .undo(let id):
            guard let index = workerChanges.firstIndex(where: { $0.id == id }) else { return }
            if clean, !answer.ok.isEmpty {
                workerChanges.remove(at: index)
                setStatus("Undone: \(request.change.summary) on \(request.destinationText) (\(answer.summary)).", .success)
            } else {
                workerChanges[index].undoing = false
                setStatus("Undo incomplete: \(answer.summary); the change stays listed (U tries again).", .warning)
            }
        case .reapply(let id):
            guard let index = workerChanges.firstIndex(where: { $0.id == id }) else { return }
            workerChanges[index].appliedOn = Array(Set(workerChanges[index].appliedOn).union(answer.ok.keys)).sorted()
            setStatus("Re-applied to \(request.destinationText) (came online): \(request.change.summary): \(answer.summary).", clean ? .success : .warning)
        }
    }

    mutating func workerChangeFailed(_ request: WorkerChangeRequest, _ message: String) {
        if case .undo(let id) = request.purpose, let index = workerChanges.firstIndex(where: { $0.id == id }) {
            workerChanges[index].undoing = false
        }
        setStatus("\(request.change.summary) on \(request.destinationText) failed: \(message)", .error)
    }

    /// A worker came online while retrytop runs: it forgot every rate limit and cancelled consumer
    /// (they live in worker memory), so retrytop's active changes are sent to it again, and the status says so.
    mutating func reapplyChanges(onlineIn batch: [CeleryEvent]) -> [Effect] {
        guard !workerChanges.isEmpty, !readOnly else { return [] }
        var requests: [WorkerChangeRequest] = []
        var hosts: [String] = []
        for event in batch where event.kind == .workerOnline && !hosts.contains(event.hostname) {
            hosts.append(event.hostname)
            for entry in workerChanges where !entry.undoing && entry.applies(to: event.hostname) {
                requests.append(WorkerChangeRequest(change: entry.change, destination: [event.hostname], purpose: .reapply(id: entry.id)))
            }
        }
        guard !requests.isEmpty else { return [] }
        let count = requests.count
        setStatus("\(hosts.joined(separator: ", ")) came online: re-applying \(count) \(count == 1 ? "change" : "changes") made by retrytop"
            + " (\(requests.map(\.change.summary).joined(separator: "; "))).", .warning)
        return [.changeWorkers(requests)]
    }
}
