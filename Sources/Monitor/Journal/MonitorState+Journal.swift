extension MonitorState {
    /// Turns on the journal feed: from now on the fold notes what changed for the writer.
    public mutating func startJournalFeed() {
        if journalFeed == nil { journalFeed = JournalFeed() }
    }

    /// Takes what changed since the last call, as facts for the writer, and empties the feed.
    ///
    /// Runs on the owner's thread once a frame, so it only gathers: per touched task one lookup and one
    /// record copy (a pointer), per fresh traceback its escaped text (a pointer); the journal rows are
    /// built by `JournalFacts.batch()` on the writer's thread. Nil when nothing changed (or nothing journals).
    /// `gaps`: the link's loss windows now (`LinkStatus.connection.gaps`), journaled when they changed.
    public mutating func takeJournalFacts(gaps: [ConnectionState.Gap] = []) -> JournalFacts? {
        guard let feed = journalFeed else { return nil }
        var facts = JournalFacts()
        if gaps != journaledGaps {
            facts.rows.gaps = gaps
            journaledGaps = gaps
        }
        guard !feed.isEmpty || !facts.rows.gaps.isEmpty || feed.overflow > 0 else { return nil }
        journalFeed = JournalFeed()
        facts.records.reserveCapacity(feed.touchedTasks.count)
        for key in feed.touchedTasks {
            guard let task = tasks[key], JournaledTask.isWorthJournaling(task) else { continue }
            facts.records.append(task)
        }
        for key in feed.tracebacks {
            if let text = tracebacks.escaped(key) { facts.tracebacks[key] = text }
        }
        facts.rows.rateCells = Array(feed.rateCells.values)
        facts.rows.workers = feed.touchedWorkers.compactMap { workers[$0] }
        facts.rows.exceptionGroups = feed.touchedGroups.compactMap { exceptionGroups[$0] }
        facts.rows.overflow = feed.overflow
        return facts
    }

    /// `takeJournalFacts(gaps:)` turned into rows at once (for callers with no writer thread: tests).
    public mutating func takeJournalBatch(gaps: [ConnectionState.Gap] = []) -> JournalBatch? {
        takeJournalFacts(gaps: gaps)?.batch()
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
        // Room for what the load can add (a start-up load of 100,000 tasks otherwise regrows the tables
        // and their arrays a dozen times); only as much as it could add, so the bounds are unchanged.
        tasks.reserveCapacity(tasks.count + found.count)
        var tracebackCount = 0
        var tracebackBytes = 0
        for item in found.indices {
            for attempt in found[item].attempts.indices {
                let size = found[item].attempts[attempt].traceback?.utf8.count ?? 0
                if size > 0 {
                    tracebackCount += 1
                    tracebackBytes += size
                }
            }
        }
        tracebacks.reserveCapacity(count: tracebackCount, bytes: tracebackBytes)
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
        if existing == nil { task.attempts.reserveCapacity(min(item.attempts.count, limits.maxAttemptsPerTask)) }
        // A task's retries mostly raised the same text: its entry is looked up once.
        var lastException: ExceptionCatalog.Entry?
        for journaled in item.attempts {
            mergeJournaledAttempt(journaled, into: &task, replacingUnfinished: !hasEvents, lastException: &lastException)
        }
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
    /// `lastException`: the entry of the exception text met last, reused when this attempt's text is the same.
    mutating func mergeJournaledAttempt(
        _ journaled: JournaledAttempt, into task: inout TaskRecord, replacingUnfinished: Bool,
        lastException: inout ExceptionCatalog.Entry?
    ) {
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
        if let text = journaled.exception {
            if let last = lastException, last.text == text {
                attempt.exceptionEntry = last
            } else {
                let entry = exceptions.entry(text)
                attempt.exceptionEntry = entry
                lastException = entry
            }
        }
        if let traceback = journaled.traceback, !traceback.isEmpty {
            tracebacks.store(EscapedText(traceback), taskID: task.key, attempt: number)
        }
        if let existingIndex {
            task.attempts[existingIndex] = attempt
        } else {
            // In number order: a new task's attempts come in order, so mostly an append (no generic insert).
            if let position = task.attempts.firstIndex(where: { $0.number > number }) {
                task.attempts.insert(attempt, at: position)
            } else {
                task.attempts.append(attempt)
            }
            boundAttempts(&task)
        }
    }
}
