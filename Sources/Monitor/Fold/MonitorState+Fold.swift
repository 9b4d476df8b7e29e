extension MonitorState {
    /// Folds a batch of events in arrival order.
    public mutating func apply(_ events: [CeleryEvent]) {
        // Through the buffer, each event is passed borrowed: iterating the array copies every event
        // (a retain of each of its Strings, and a release after).
        events.withUnsafeBufferPointer { buffer in
            for index in buffer.indices { apply(buffer[index]) }
        }
    }

    public mutating func apply(_ event: borrowing CeleryEvent) {
        stats.events += 1
        if event.timestamp > latestTimestamp { latestTimestamp = event.timestamp }
        if event.kind.isTaskEvent {
            stats.taskEvents += 1
            applyTaskEvent(event)
        } else {
            stats.workerEvents += 1
            applyWorkerEvent(event)
        }
    }

    // MARK: Workers

    mutating func applyWorkerEvent(_ event: borrowing CeleryEvent) {
        let hostname = names.intern(event.hostname)
        var worker = workers[hostname] ?? WorkerRecord(hostname: hostname)
        let isNewer = event.clock >= worker.clock || worker.lastHeartbeat == nil
        switch event.kind {
        case .workerOnline, .workerHeartbeat:
            if worker.lastHeartbeat.map({ event.timestamp >= $0 }) ?? true {
                worker.lastHeartbeat = event.timestamp
            }
            if event.kind == .workerOnline, let offline = worker.offlineAt, event.timestamp >= offline { worker.offlineAt = nil }
        case .workerOffline:
            worker.offlineAt = event.timestamp
        default:
            break
        }
        if let freq = event.freq, freq > 0 { worker.freq = freq }
        if isNewer {
            worker.clock = event.clock
            if let active = event.active { worker.active = active }
            if let processed = event.processed { worker.processed = processed }
            if let loadavg = event.loadavg { worker.loadavg = Array(loadavg.prefix(3)) }
        }
        if event.kind == .workerHeartbeat {
            worker.recordHeartbeat(HeartbeatSample(timestamp: event.timestamp, active: event.active ?? worker.active, load: event.loadavg?.first))
        }
        worker.pid = event.pid ?? worker.pid
        if let ident = event.swIdent {
            worker.software = names.intern("\(ident) \(event.swVersion ?? "")".trimming(" "))
        }
        workers[hostname] = worker
        journalFeed?.touchedWorkers.insert(hostname)
        boundWorkers()
    }

    mutating func boundWorkers() {
        guard workers.count > limits.maxWorkers else { return }
        let oldest = workers.values.min { ($0.lastHeartbeat ?? 0) < ($1.lastHeartbeat ?? 0) }
        if let oldest {
            workers[oldest.hostname] = nil
            stats.evictedWorkers += 1
        }
    }

    // MARK: Tasks

    mutating func applyTaskEvent(_ event: borrowing CeleryEvent) {
        guard let id = event.taskKey else { return }
        // Swap the record out of its slot (one hash), change it, swap it back: no copy-on-write copies and
        // no second hash. Nothing below adds to or removes from `tasks` before the swap back.
        let slot = tasks.index(forKey: id)
        var task: TaskRecord
        if let slot {
            task = TaskRecord.placeholder
            swap(&task, &tasks.values[slot])
        } else {
            task = TaskRecord(key: id, firstSeen: event.timestamp)
        }
        if event.timestamp < task.firstSeen { task.firstSeen = event.timestamp }
        let isNew = slot == nil
        let before = task.state
        if isNew, event.kind != .taskSent, event.kind != .taskReceived, event.kind != .taskRevoked {
            stats.orphanEvents += 1
        }
        mergeIdentity(event, into: &task)
        if !task.sources.contains(.events) { task.sources.insert(.events) }
        switch event.kind {
        case .taskSent: applySent(event, to: &task)
        case .taskReceived: applyReceived(event, to: &task)
        case .taskStarted: applyStarted(event, to: &task)
        case .taskSucceeded, .taskFailed, .taskRetried: applyEnded(event, to: &task)
        case .taskRejected: applyRejected(event, to: &task)
        case .taskRevoked: applyRevoked(event, to: &task)
        default: break
        }
        if event.timestamp > task.lastUpdate { task.lastUpdate = event.timestamp }
        task.state = MonitorState.derivedState(of: task)
        if let worker = task.attempts.last(where: { $0.worker != nil })?.worker { task.worker = worker }
        countRate(event, task: task)
        reindex(task, from: isNew ? nil : before)
        if journalFeed != nil, JournaledTask.isWorthJournaling(task) { journalFeed?.touch(id) }
        if let slot {
            swap(&task, &tasks.values[slot])
        } else {
            tasks[id] = task
        }
        evictIfNeeded()
    }

    /// The state a task is in, derived from its attempts and revocation alone (never from arrival order).
    static func derivedState(of task: TaskRecord) -> TaskState {
        if task.revocation != nil, task.attempts.last?.outcome != .success { return .revoked }
        guard let last = task.attempts.last else { return .pending }
        if let outcome = last.outcome { return outcome }
        if last.started != nil { return .started }
        return last.number > 1 ? .retry : .received
    }

    mutating func mergeIdentity(_ event: borrowing CeleryEvent, into task: inout TaskRecord) {
        if let name = event.name, name != task.name { task.name = names.intern(name) }
        if let args = event.args { task.args = args }
        if let kwargs = event.kwargs { task.kwargs = kwargs }
        if let queue = event.queue, queue != task.queue { task.queue = names.intern(queue) }
        if let routingKey = event.routingKey, routingKey != task.routingKey { task.routingKey = names.intern(routingKey) }
        if let exchange = event.exchange, exchange != task.exchange { task.exchange = names.intern(exchange) }
        if let root = event.rootKey, root != task.rootKey { task.rootKey = root }
        if let parent = event.parentKey, parent != task.parentKey { task.parentKey = parent }
        if let expires = event.expires { task.expires = expires }
        if let retries = event.retries, retries > task.retries { task.retries = retries }
        if let result = event.result { task.result = result }
    }

    /// `task-sent`: with `retries > 0` it is a retry message, published by the pool process while the attempt
    /// it retries is still running (docs/celery-wire.md, "Ordering rules"). It creates that next attempt, so a
    /// `task-retried` that arrives later finds its attempt's successor and a revoke that discards the message
    /// has an attempt to mark. The producer's first `task-sent` (`retries == 0`) creates none: the task stays
    /// PENDING until a worker receives it.
    mutating func applySent(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let retries = event.retries ?? 0
        guard retries > 0 else { return }
        let number = retries + 1
        if let slot = attemptSlot(number: number, in: &task) {
            if let eta = event.eta { task.attempts[slot].eta = eta }
            if task.attempts[slot].sent.map({ event.timestamp < $0 }) ?? true { task.attempts[slot].sent = event.timestamp }
        }
        if let previous = task.attempts.firstIndex(where: { $0.number == retries }) {
            task.attempts[previous].noteRetryDue(event.eta ?? event.timestamp)
        }
        if number >= (task.attempts.last?.number ?? 0), let eta = event.eta { task.eta = eta }
    }

    mutating func applyReceived(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let number = (event.retries ?? 0) + 1
        let worker = workerName(event.hostname, in: task)
        // A late attempt inserted into a full history may have been dropped by the bound at once.
        guard let slot = attemptSlot(number: number, in: &task) else { return }
        task.attempts[slot].worker = worker
        task.attempts[slot].received = event.timestamp
        task.attempts[slot].beginningUnseen = false
        task.attempts[slot].receivedClock = event.clock
        if let eta = event.eta { task.attempts[slot].eta = eta }
        if let previous = task.attempts.firstIndex(where: { $0.number == number - 1 }) {
            task.attempts[previous].noteRetryDue(event.eta ?? event.timestamp)
        }
        if number >= (task.attempts.last?.number ?? 0), let eta = event.eta { task.eta = eta }
    }

    /// The index of attempt `number`, inserted in order when it is new; nil when the attempt bound dropped it.
    mutating func attemptSlot(number: Int, in task: inout TaskRecord) -> Int? {
        if let existing = task.attempts.firstIndex(where: { $0.number == number }) { return existing }
        let position = task.attempts.firstIndex(where: { $0.number > number }) ?? task.attempts.count
        if task.attempts[position...].contains(where: { $0.hasStarted }) { stats.lateEvents += 1 }
        MonitorState.reserveExactly(one: &task.attempts)
        var attempt = Attempt(number: number)
        // The next attempt may already be known (its task-sent or task-received arrived first).
        if position < task.attempts.count, task.attempts[position].number == number + 1, let due = task.attempts[position].due {
            attempt.noteRetryDue(due)
        }
        task.attempts.insert(attempt, at: position)
        boundAttempts(&task)
        return task.attempts.firstIndex(where: { $0.number == number })
    }

    /// `task-started` carries no `retries`: it starts the oldest attempt this worker received and has not
    /// started (one worker's events arrive in the order its main process sent them, so `task-received`
    /// of an attempt always precedes its `task-started`).
    mutating func applyStarted(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let worker = workerName(event.hostname, in: task)
        let index: Int
        if let first = task.attempts.firstIndex(where: {
            $0.worker == worker && !$0.hasStarted && $0.outcome == nil && $0.receivedClock <= event.clock
        }) {
            index = first
        } else if let open = task.attempts.lastIndex(where: { !$0.hasStarted && $0.outcome == nil }) {
            index = open
        } else if let last = task.attempts.last, last.outcome != nil {
            // Every attempt is over: a start that matches none of them cannot reopen the task.
            stats.lateEvents += 1
            return
        } else {
            index = appendGuessedAttempt(to: &task, worker: worker)
        }
        if task.attempts[(index + 1)...].contains(where: { $0.hasStarted }) { stats.lateEvents += 1 }
        task.attempts[index].worker = worker
        task.attempts[index].started = event.timestamp
        task.attempts[index].startedClock = event.clock
    }

    /// The attempt a `task-retried`, `task-succeeded` or `task-failed` ends (docs/celery-wire.md, rules 2
    /// and 3). Under prefork several attempts of one task can be open on one worker at once, and the main
    /// process may report them in any order: an attempt that retried has a successor (its retry message
    /// was sent or received), an attempt that succeeded or failed has none. Nil when every attempt is
    /// already over: the event is stale and must not reopen the task.
    func endedAttemptIndex(of kind: EventKind, worker: String, in task: TaskRecord) -> Int? {
        let attempts = task.attempts
        let lastNumber = attempts.last?.number ?? 0
        func isOpen(_ index: Int) -> Bool { attempts[index].outcome == nil }
        func onWorker(_ index: Int) -> Bool { attempts[index].worker == worker }
        func hasSuccessor(_ index: Int) -> Bool { attempts[index].number < lastNumber }
        let indices = attempts.indices
        if kind == .taskRetried {
            return indices.first { isOpen($0) && onWorker($0) && attempts[$0].hasStarted && hasSuccessor($0) }
                ?? indices.first { isOpen($0) && onWorker($0) && attempts[$0].hasStarted }
                ?? indices.first { isOpen($0) && onWorker($0) && hasSuccessor($0) }
                ?? indices.last { isOpen($0) && onWorker($0) }
                ?? indices.first { isOpen($0) && attempts[$0].hasStarted && hasSuccessor($0) }
                ?? indices.last { isOpen($0) }
        }
        return indices.last { isOpen($0) && onWorker($0) && attempts[$0].hasStarted && !hasSuccessor($0) }
            ?? indices.last { isOpen($0) && onWorker($0) && attempts[$0].hasStarted }
            ?? indices.last { isOpen($0) && onWorker($0) }
            ?? indices.last { isOpen($0) }
    }

    mutating func applyEnded(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let worker = workerName(event.hostname, in: task)
        let index: Int
        if let found = endedAttemptIndex(of: event.kind, worker: worker, in: task) {
            index = found
        } else if task.attempts.isEmpty {
            index = appendGuessedAttempt(to: &task, worker: worker)
        } else {
            // Ordering rule 5 (`docs/celery-wire.md`): after a terminal event every later report of an older attempt is stale.
            stats.lateEvents += 1
            return
        }
        if task.attempts[(index + 1)...].contains(where: { $0.hasStarted }) { stats.lateEvents += 1 }
        let outcome: TaskState = switch event.kind {
        case .taskSucceeded: .success
        case .taskFailed: .failure
        default: .retry
        }
        var attempt = task.attempts[index]
        attempt.worker = worker
        attempt.outcome = outcome
        attempt.ended = event.timestamp
        attempt.endedClock = event.clock
        attempt.runtime = event.runtime ?? attempt.started.map { max(0, event.timestamp - $0) }
        var exception: ExceptionCatalog.Entry?
        if let text = event.exception {
            // A task's attempts usually raise the same text: reuse the previous attempt's entry (one
            // comparison) before asking the catalog (a hash of the whole text).
            let previous = task.attempts.last(where: { $0.exceptionEntry != nil })?.exceptionEntry
            exception = previous?.text == text ? previous : exceptions.entry(text)
            attempt.exceptionEntry = exception
        }
        task.attempts[index] = attempt
        if let traceback = event.tracebackText, traceback.utf8Count > 0 {
            tracebacks.store(traceback, taskID: task.key, attempt: attempt.number)
            if journalFeed != nil { journalFeed?.tracebacks.insert(TracebackStore.Key(taskID: task.key, attempt: attempt.number)) }
        }
        if let exception, outcome != .success {
            noteException(exception, task: task, worker: worker, isRetry: outcome == .retry, at: event.timestamp)
        }
        if let slot = workers.index(forKey: worker) {
            switch outcome {
            case .success: workers.values[slot].succeeded += 1
            case .failure: workers.values[slot].failed += 1
            default: workers.values[slot].retried += 1
            }
        }
    }

    mutating func applyRejected(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let worker = workerName(event.hostname, in: task)
        let index = task.attempts.lastIndex(where: { $0.worker == worker && $0.endedClock <= event.clock && $0.outcome != nil })
            ?? task.attempts.lastIndex(where: { $0.outcome == nil })
            ?? appendGuessedAttempt(to: &task, worker: worker)
        task.attempts[index].outcome = .rejected
        if task.attempts[index].ended == nil { task.attempts[index].ended = event.timestamp }
    }

    /// `task-revoked` is sent in two cases (docs/celery-wire.md): a terminate kills the attempt running on
    /// that worker, and otherwise a worker discards a message of a revoked id on arrival (a retry message,
    /// a task waiting for its ETA, an expired one) without a `task-received`. A plain revoke never stops a
    /// running attempt, so a discard marks the newest attempt that has not started; when that message
    /// was never seen (no `task-sent` events, or its `task-sent` is still on its way), the discarded
    /// message becomes the next attempt, REVOKED and never started, rather than ending an attempt that is
    /// still running and will report its own outcome.
    mutating func applyRevoked(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let terminated = event.terminated ?? false
        task.revocation = TaskRecord.Revocation(
            terminated: terminated, signum: event.signum, expired: event.expired ?? false, at: event.timestamp)
        task.revokeSentAt = nil
        let worker = workerName(event.hostname, in: task)
        let attempts = task.attempts
        let index: Int?
        if terminated {
            index = attempts.lastIndex { $0.outcome == nil && $0.worker == worker && $0.hasStarted }
                ?? attempts.lastIndex { $0.outcome == nil && $0.worker == worker }
                ?? attempts.lastIndex { $0.outcome == nil }
        } else if let waiting = attempts.lastIndex(where: { $0.outcome == nil && !$0.hasStarted }) {
            index = waiting
        } else if let last = attempts.last, last.outcome == nil || last.outcome == .retry {
            index = appendGuessedAttempt(to: &task, worker: worker, unseenBeginning: false)
        } else {
            index = nil
        }
        guard let index else { return }
        task.attempts[index].outcome = .revoked
        task.attempts[index].ended = event.timestamp
        task.attempts[index].endedClock = event.clock
        if task.attempts[index].worker == nil { task.attempts[index].worker = worker }
    }

    /// The shared copy of a worker's hostname: the task's latest worker when it is the same one (one
    /// comparison; a task's events mostly come from one worker), else the interned name (a hash).
    mutating func workerName(_ hostname: String, in task: TaskRecord) -> String {
        if let latest = task.worker, latest == hostname { return latest }
        return names.intern(hostname)
    }

    /// An event for an attempt whose `task-received` was never seen: a new attempt after the last one.
    /// `unseenBeginning`: the event shows the attempt under way (started or ended), so its beginning was missed.
    mutating func appendGuessedAttempt(to task: inout TaskRecord, worker: String, unseenBeginning: Bool = true) -> Int {
        let number = (task.attempts.last?.number ?? task.retries) + 1
        MonitorState.reserveExactly(one: &task.attempts)
        var attempt = Attempt(number: number, worker: worker)
        attempt.beginningUnseen = unseenBeginning
        task.attempts.append(attempt)
        boundAttempts(&task)
        return task.attempts.count - 1
    }

    /// Grows `attempts` by exactly one slot when full: a task has a handful of attempts, and doubling
    /// would leave a quarter to a half of every attempt array empty.
    static func reserveExactly(one attempts: inout [Attempt]) {
        if attempts.count == attempts.capacity { attempts.reserveCapacity(attempts.count + 1) }
    }

    mutating func boundAttempts(_ task: inout TaskRecord) {
        while task.attempts.count > limits.maxAttemptsPerTask, task.attempts.count > 2 {
            let dropped = task.attempts.remove(at: 1)
            tracebacks.remove(taskID: task.key, attempts: [dropped])
            task.droppedAttempts += 1
            stats.droppedAttempts += 1
        }
    }

    // MARK: Rates and exceptions

    mutating func countRate(_ event: borrowing CeleryEvent, task: TaskRecord) {
        let kind: RateKind
        switch event.kind {
        case .taskReceived: kind = .received
        case .taskSucceeded: kind = .succeeded
        case .taskFailed: kind = .failed
        case .taskRetried: kind = .retried
        default: return
        }
        overallRates.add(kind, at: event.timestamp)
        let key = task.name ?? "(unknown name)"
        if journalFeed != nil { journalFeed?.count(kind, name: key, at: event.timestamp) }
        if let slot = ratesByName.index(forKey: key) {
            ratesByName.values[slot].add(kind, at: event.timestamp)
        } else {
            let shared = ratesByName.count >= limits.maxTaskNames ? MonitorLimits.maxTaskNamesOverflow : key
            ratesByName[shared, default: RateSeries()].add(kind, at: event.timestamp)
        }
    }

    mutating func noteException(_ entry: ExceptionCatalog.Entry, task: TaskRecord, worker: String, isRetry: Bool, at time: Double) {
        let fingerprint = entry.fingerprint
        var slot = exceptionGroups.index(forKey: fingerprint)
        if slot == nil {
            guard exceptionGroups.count < limits.maxExceptionGroups else { return }
            exceptionGroups[fingerprint] = ExceptionGroup(fingerprint: fingerprint.text, sample: entry.text, at: time)
            slot = exceptionGroups.index(forKey: fingerprint)
        }
        guard let slot else { return }
        if journalFeed != nil { journalFeed?.touchedGroups.insert(fingerprint) }
        exceptionGroups.values[slot].record(
            sample: entry.text, name: task.name ?? "(unknown name)", worker: worker, taskID: task.key,
            isRetry: isRetry, at: time)
    }

    // MARK: Indexes and bounds

    mutating func insert(_ record: TaskRecord) {
        tasks[record.key] = record
        reindex(record, from: nil)
    }

    mutating func reindex(_ task: TaskRecord, from before: TaskState?) {
        let after = task.state
        guard before != after else { return }
        if let before {
            countsByState[before, default: 1] -= 1
            if before == .retry { retryingIDs.remove(task.key) }
            if before == .started { activeIDs.remove(task.key) }
        }
        countsByState[after, default: 0] += 1
        if after == .retry { retryingIDs.insert(task.key) }
        if after == .started { activeIDs.insert(task.key) }
        if after == .failure { recentFailures.append(task.key) }
        fileForEviction(task, from: before)
    }
}
