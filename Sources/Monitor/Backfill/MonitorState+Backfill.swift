extension MonitorState {
    /// Merges tasks a backfill source found at start (`docs/celery-wire.md`, "Backfill: what a late starter can read"; docs in the README's "Backfill" section).
    ///
    /// The rules:
    /// - Events always win: once a task has events, backfill only adds its sources, the result
    ///   backend's state (kept as `backendState`) and identity fields the events left empty.
    /// - Backfill never moves a task backwards and never invents history: the task's attempts are
    ///   rebuilt from its facts (the newest held message, the result record) alone, so the merge gives
    ///   the same record whichever source finishes first. A held retry is attempt `retries + 1`,
    ///   waiting for its ETA; attempts before it are not made up (the detail says they predate retrytop).
    /// - A result record contradicted by a held message (`docs/celery-wire.md`, "Backfill: what a late starter can read") is kept as `backendState` only.
    /// - Backfilled tasks do not feed the rate series or exception rates: storm detection sees only
    ///   what happens after retrytop started.
    /// Bound: like events, new tasks count against `limits.maxTasks` (eviction runs after the batch).
    public mutating func mergeBackfill(_ found: [BackfilledTask]) {
        for item in found { mergeBackfill(item) }
        evictIfNeeded()
    }

    mutating func mergeBackfill(_ item: BackfilledTask) {
        let key = TaskKey(item.id)
        guard !item.id.isEmpty else { return }
        if item.isRevokedEntry {
            // A revoked id alone is no task (the set holds ids revoked up to hours ago): remember it for a
            // task another source finds, in either order, and mark the task if one is known.
            guard revokedAtStart.count < MonitorState.maxRevokedAtStart || revokedAtStart.contains(key) else {
                stats.revokedAtStartDropped += 1
                return
            }
            revokedAtStart.insert(key)
            guard tasks[key] != nil else { return }
        }
        let existing = tasks[key]
        var task = existing ?? TaskRecord(key: key, firstSeen: item.dateDone ?? item.readAt)
        let before = task.state
        if !item.isRevokedEntry { task.sources.insert(item.source) }
        if let name = item.name, task.name == nil { task.name = names.intern(name) }
        if task.args == nil, let args = item.args { task.args = args }
        if task.kwargs == nil, let kwargs = item.kwargs { task.kwargs = kwargs }
        if task.queue == nil, let queue = item.queue, !queue.isEmpty { task.queue = names.intern(queue) }
        if task.worker == nil, let worker = item.worker { task.worker = names.intern(worker) }
        if let retries = item.retries, retries > task.retries { task.retries = retries }

        var facts = task.backfill ?? BackfillFacts()
        if item.isRevokedEntry {
            facts.revokedByWorkers = true
        } else if item.source == .resultBackend {
            facts.backend = item.trimmed
        } else if item.source == .inspect {
            // The running report wins over a reserved or scheduled one (the attempt moved on).
            if facts.held?.started == nil || item.started != nil { facts.held = item.trimmed }
        } else if (item.attemptNumber ?? 0) >= (facts.message?.attemptNumber ?? 0) {
            facts.message = item.trimmed
        }
        if revokedAtStart.contains(key) { facts.revokedByWorkers = true }
        task.backfill = facts

        if !task.sources.contains(.events) {
            rebuildAttempts(of: &task, from: facts, traceback: item.source == .resultBackend ? item.traceback : nil)
            task.state = MonitorState.derivedState(of: task)
        }
        if let time = item.dateDone, time > task.lastUpdate { task.lastUpdate = time }
        if existing == nil {
            insert(task)  // indexes it (counts, retrying, eviction queues)
        } else {
            reindex(task, from: before)
            tasks[key] = task
        }
    }

    /// The attempts backfill can vouch for, from the facts alone (no events seen for this task).
    ///
    /// The trusted result record gives its attempt's outcome, end time and exception; the held message
    /// gives the attempt waiting for its ETA. Neither attempt's beginning was seen, so both are marked
    /// `beginningUnseen` and carry no received or started time.
    mutating func rebuildAttempts(of task: inout TaskRecord, from facts: BackfillFacts, traceback: String?) {
        var attempts: [Attempt] = []
        var etaOfTask: Double?
        if facts.backendTrusted, let backend = facts.backend, let state = backend.state,
           state == .retry || state.isFinished {
            let number = backend.attemptNumber
                ?? facts.message.flatMap { $0.attemptNumber.map { $0 - 1 } }
                ?? 1
            var attempt = Attempt(number: max(1, number), worker: backend.worker.map { names.intern($0) })
            attempt.beginningUnseen = true
            attempt.outcome = state
            attempt.ended = backend.dateDone
            if let text = backend.exception, state != .success { attempt.exceptionEntry = exceptions.entry(text) }
            if let traceback, !traceback.isEmpty { tracebacks.store(EscapedText(traceback), taskID: task.key, attempt: attempt.number) }
            attempts.append(attempt)
        }
        // A message still in a queue that no worker took is PENDING: no attempt began (a queued retry or
        // countdown message, with its ETA, is the attempt it announces).
        if let message = facts.message, message.source != .queue || (message.attemptNumber ?? 1) > 1 || message.eta != nil {
            let number = message.attemptNumber ?? 1
            if attempts.last.map({ $0.number < number }) ?? true {
                var attempt = Attempt(number: number, worker: message.worker.map { names.intern($0) })
                attempt.beginningUnseen = true
                attempt.eta = message.eta
                if let eta = message.eta, let last = attempts.indices.last, attempts[last].number == number - 1 {
                    attempts[last].noteRetryDue(eta)
                }
                etaOfTask = message.eta
                attempts.append(attempt)
            }
        }
        // History read from the journal stays: backfill only adds what it vouches for (never backwards).
        for journaled in task.attempts where journaled.fromJournal {
            if let index = attempts.firstIndex(where: { $0.number == journaled.number }) {
                if attempts[index].outcome == nil, journaled.outcome != nil { attempts[index] = journaled }
            } else {
                attempts.insert(journaled, at: attempts.firstIndex { $0.number > journaled.number } ?? attempts.count)
            }
        }
        if let held = facts.held {
            // A worker holds the task now: the open attempt is on it (started at `time_start` when active);
            // with no open attempt, the one after the last RETRY (inspect carries no `retries`).
            if attempts.last.map({ $0.outcome == nil }) != true {
                let previous = attempts.last
                if previous == nil || previous?.outcome == .retry {
                    var attempt = Attempt(number: (previous?.number ?? 0) + 1, worker: nil)
                    attempt.beginningUnseen = true
                    attempts.append(attempt)
                }
            }
            if let last = attempts.indices.last, attempts[last].outcome == nil {
                if let worker = held.worker { attempts[last].worker = names.intern(worker) }
                if let started = held.started { attempts[last].started = started }
                if attempts[last].eta == nil, let eta = held.eta {
                    attempts[last].eta = eta
                    etaOfTask = etaOfTask ?? eta
                }
            }
        }
        if facts.revokedByWorkers, let last = attempts.indices.last, attempts[last].outcome == nil, attempts[last].started == nil {
            // Every worker discards it at its ETA (or on arrival): it will never run
            // (docs/celery-wire.md, "Revoked ids: a held message of one never runs").
            attempts[last].outcome = .revoked
        }
        task.attempts = attempts
        task.eta = etaOfTask ?? (task.attempts.contains(where: \.fromJournal) ? task.eta : nil)
    }
}
