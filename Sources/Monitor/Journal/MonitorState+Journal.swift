extension MonitorState {
    /// Turns on the journal feed: from now on the fold notes what changed for the writer.
    public mutating func startJournalFeed() {
        if journalFeed == nil { journalFeed = JournalFeed() }
    }

    /// Takes what changed since the last call as one batch for the writer, and empties the feed.
    ///
    /// Runs on the owner's thread once a frame. Cost: one record copy (a pointer) and its attempts'
    /// fields per touched task worth journaling; tracebacks only for attempts whose traceback arrived
    /// since the last batch. Nil when nothing changed (or nothing journals).
    /// `gaps`: the link's loss windows now (`LinkStatus.connection.gaps`), journaled when they changed.
    public mutating func takeJournalBatch(gaps: [ConnectionState.Gap] = []) -> JournalBatch? {
        guard var feed = journalFeed else { return nil }
        var batch = JournalBatch()
        if gaps != journaledGaps {
            batch.gaps = gaps
            journaledGaps = gaps
        }
        guard !feed.isEmpty || !batch.gaps.isEmpty || feed.overflow > 0 else { return nil }
        journalFeed = JournalFeed()
        batch.tasks.reserveCapacity(feed.touchedTasks.count)
        for key in feed.touchedTasks {
            guard let task = tasks[key], JournaledTask.isWorthJournaling(task) else { continue }
            batch.tasks.append(journaled(task, tracebacksOf: &feed.tracebacks))
        }
        batch.rateCells = Array(feed.rateCells.values)
        batch.workers = feed.touchedWorkers.compactMap { workers[$0] }
        batch.exceptionGroups = feed.touchedGroups.compactMap { exceptionGroups[$0] }
        batch.overflow = feed.overflow
        return batch
    }

    /// The journal's form of `task`; a traceback goes along only when it is in `fresh` (just arrived).
    func journaled(_ task: TaskRecord, tracebacksOf fresh: inout Set<TracebackStore.Key>) -> JournaledTask {
        var attempts: [JournaledAttempt] = []
        attempts.reserveCapacity(task.attempts.count)
        for attempt in task.attempts {
            let key = TracebackStore.Key(taskID: task.key, attempt: attempt.number)
            let traceback = fresh.remove(key) != nil ? tracebacks.text(taskID: task.key, attempt: attempt.number) : nil
            attempts.append(JournaledAttempt(
                number: attempt.number, worker: attempt.worker, received: attempt.received, started: attempt.started,
                ended: attempt.ended, runtime: attempt.runtime, outcome: attempt.outcome, exception: attempt.exception,
                traceback: traceback, eta: attempt.eta, retryAt: attempt.retryAt, sent: attempt.sent,
                beginningUnseen: attempt.beginningUnseen))
        }
        return JournaledTask(
            id: task.id, name: task.name, state: task.state, retries: task.retries, args: task.args, kwargs: task.kwargs,
            queue: task.queue, worker: task.worker, firstSeen: task.firstSeen, lastUpdate: task.lastUpdate, eta: task.eta,
            revokedAt: task.revocation?.at, revokeTerminated: task.revocation?.terminated ?? false,
            requeuedAs: task.requeuedAs, requeueOf: task.requeueOf, attempts: attempts)
    }

    /// Merges tasks read from the journal (history from before this process started).
    ///
    /// The rules are backfill's (`mergeBackfill`): events win and nothing moves backwards. For a task
    /// this process has events of, the journal only adds the attempts those events did not show
    /// (numbers not present: usually the older ones), marked `fromJournal`, and identity fields left
    /// empty. A task known only from backfill or not at all takes the journal's attempts; an attempt
    /// backfill rebuilt without an outcome gives way to the journal's that has one. The state is then
    /// derived from the attempts, as for events. Journaled tasks do not feed rates or exception groups
    /// (storm detection sees only live events). Bound: new tasks count against `limits.maxTasks`.
    public mutating func mergeJournal(_ found: [JournaledTask]) {
        for item in found { mergeJournal(item) }
        evictIfNeeded()
    }

    mutating func mergeJournal(_ item: JournaledTask) {
        guard !item.id.isEmpty else { return }
        let key = TaskKey(item.id)
        let existing = tasks[key]
        var task = existing ?? TaskRecord(key: key, firstSeen: item.firstSeen)
        let before = task.state
        task.sources.insert(.journal)
        if item.firstSeen < task.firstSeen { task.firstSeen = item.firstSeen }
        if task.name == nil, let name = item.name { task.name = names.intern(name) }
        if task.args == nil, let args = item.args { task.args = args }
        if task.kwargs == nil, let kwargs = item.kwargs { task.kwargs = kwargs }
        if task.queue == nil, let queue = item.queue { task.queue = names.intern(queue) }
        if task.worker == nil, let worker = item.worker { task.worker = names.intern(worker) }
        if item.retries > task.retries { task.retries = item.retries }
        if task.requeuedAs == nil, let copy = item.requeuedAs { task.requeuedAs = copy }
        if task.requeueOf == nil, let original = item.requeueOf { task.requeueOf = original }
        if task.revocation == nil, let at = item.revokedAt, !task.sources.contains(.events) {
            task.revocation = TaskRecord.Revocation(terminated: item.revokeTerminated, signum: nil, expired: false, at: at)
        }
        let hasEvents = task.sources.contains(.events)
        for journaled in item.attempts { mergeJournaledAttempt(journaled, into: &task, replacingUnfinished: !hasEvents) }
        if !hasEvents, task.eta == nil { task.eta = item.eta }
        if item.lastUpdate > task.lastUpdate { task.lastUpdate = item.lastUpdate }
        task.state = MonitorState.derivedState(of: task)
        if existing == nil {
            insert(task)
        } else {
            reindex(task, from: before)
            tasks[key] = task
        }
    }

    /// Adds one journaled attempt where its number is missing (in order); with `replacingUnfinished`, it
    /// also replaces an attempt of that number that has no outcome yet when the journal's has one.
    mutating func mergeJournaledAttempt(_ journaled: JournaledAttempt, into task: inout TaskRecord, replacingUnfinished: Bool) {
        let number = journaled.number
        guard number >= 1 else { return }
        let existingIndex = task.attempts.firstIndex { $0.number == number }
        if let existingIndex {
            guard replacingUnfinished, task.attempts[existingIndex].outcome == nil, journaled.outcome != nil else { return }
        }
        var attempt = Attempt(number: number, worker: journaled.worker.map { names.intern($0) })
        attempt.received = journaled.received
        attempt.started = journaled.started
        attempt.ended = journaled.ended
        attempt.runtime = journaled.runtime
        attempt.outcome = journaled.outcome
        attempt.eta = journaled.eta
        attempt.retryAt = journaled.retryAt
        attempt.sent = journaled.sent
        attempt.beginningUnseen = journaled.beginningUnseen
        attempt.fromJournal = true
        if let text = journaled.exception { attempt.exceptionEntry = exceptions.entry(text) }
        if let traceback = journaled.traceback, !traceback.isEmpty {
            tracebacks.store(EscapedText(traceback), taskID: task.key, attempt: number)
        }
        if let existingIndex {
            task.attempts[existingIndex] = attempt
        } else {
            let position = task.attempts.firstIndex { $0.number > number } ?? task.attempts.count
            task.attempts.insert(attempt, at: position)
            boundAttempts(&task)
        }
    }
}
