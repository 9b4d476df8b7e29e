import Monitor

extension AppState {
    /// Builds the confirmation for a dangerous command. The one path to a dangerous `Effect`.
    ///
    /// Targets: the marked tasks if any, else the selected task (or the task shown in detail). The
    /// bulk commands target every retrying task of the selected name, or every failed task of the
    /// selected name or exception group. A revoke asks at once; a requeue first asks the port for a
    /// dry-run preview (`Effect.previewRequeue`) and the dialog opens when it answers
    /// (`openRequeueConfirmation`).
    mutating func prepareDangerous(_ command: Command) -> [Effect] {
        guard !readOnly else {
            setStatus("Actions are disabled: retrytop runs with --read-only.", .warning)
            return []
        }
        let model = viewed
        switch command {
        case .revoke, .terminate, .requeue:
            let ids = actionTargets()
            guard !ids.isEmpty else {
                setStatus("Select a task (or mark some with space) first.", .info)
                return []
            }
            let scope = marks.isEmpty ? nil : "marked"
            if command == .requeue {
                return askForRequeuePreview(ids, scope: scope)
            } else {
                ask(Confirmation.revoke(ids, terminate: command == .terminate, scope: scope, monitor: model))
            }
        case .revokeRetryingOfName:
            guard let name = selectedTaskName() else {
                setStatus("Select a task or a rates row to choose the task name.", .info)
                return []
            }
            let ids = model.retryingIDs.filter { model.tasks[$0]?.name == name }.sorted().map(\.string)
            guard !ids.isEmpty else {
                setStatus("No \(name) task is waiting in backoff.", .info)
                return []
            }
            ask(Confirmation.revoke(ids, terminate: false, scope: "every retrying \(name)", monitor: model, onlyStates: [.retry], byName: name))
        case .rateLimitName, .toggleConsumer, .undoWorkerChange:
            return prepareWorkerChange(command)
        case .requeueFailedOfGroup:
            let (ids, scope) = failedGroupTargets()
            guard let scope else {
                setStatus("Select a task, a rates row or an exception group first.", .info)
                return []
            }
            guard !ids.isEmpty else {
                setStatus("No failed task of \(scope) is tracked.", .info)
                return []
            }
            return askForRequeuePreview(ids, scope: "every failed task of \(scope)")
        default:
            break
        }
        return []
    }

    mutating func ask(_ confirmation: Confirmation) {
        mode = .confirm(confirmation)
    }

    /// The marked tasks, else the selected one.
    func actionTargets() -> [String] {
        if !marks.isEmpty { return marks.sorted() }
        if case .taskDetail(let id) = screen { return [id] }
        if case .traceback(let id, _, _) = screen { return [id] }
        guard let pane = activeList, pane.listsTasks, let id = selectedID(in: pane) else { return [] }
        return [id]
    }

    /// The task name the selection points at: a task's name, or a rates row.
    func selectedTaskName() -> String? {
        switch screen {
        case .taskDetail(let id), .traceback(let id, _, _): return viewed.tasks[id]?.name
        case .overview where focusedPane == .rates: return selectedID(in: .rates)
        default:
            guard let pane = activeList, pane.listsTasks, let id = selectedID(in: pane) else { return nil }
            return viewed.tasks[id]?.name
        }
    }

    /// Failed tasks of the selected exception group (exceptions screens) or of the selected name.
    func failedGroupTargets() -> ([String], String?) {
        let model = viewed
        var fingerprint: String?
        if screen == .exceptions { fingerprint = selectedID(in: .exceptions) }
        if case .groupTasks(let fp) = screen { fingerprint = fp }
        if let fingerprint, let group = model.exceptionGroups[fingerprint] {
            let ids = group.recentTaskIDs.filter { model.tasks[$0]?.state == .failure }
            return (ids, group.typeName)
        }
        guard let name = selectedTaskName() else { return ([], nil) }
        let ids = model.recentFailures.filter { model.tasks[$0]?.name == name && model.tasks[$0]?.state == .failure }
        return (ids.map(\.string), name)
    }
}
