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
        worker.pid = event.pid ?? worker.pid
        if let ident = event.swIdent {
            worker.software = names.intern("\(ident) \(event.swVersion ?? "")".trimmingCharacters(in: " "))
        }
        workers[hostname] = worker
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
        let isNew = slot == nil
        let before = task.state
        if isNew, event.kind != .taskSent, event.kind != .taskReceived, event.kind != .taskRevoked {
            stats.orphanEvents += 1
        }
        mergeIdentity(event, into: &task)
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

    mutating func applySent(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let retries = event.retries ?? 0
        if retries > 0, let index = task.attempts.firstIndex(where: { $0.number == retries }) {
            task.attempts[index].retryAt = event.eta ?? event.timestamp
        }
        if retries >= (task.attempts.last?.number ?? 0) { task.eta = event.eta }
    }

    mutating func applyReceived(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let number = (event.retries ?? 0) + 1
        let worker = workerName(event.hostname, in: task)
        if !task.attempts.contains(where: { $0.number == number }) {
            let position = task.attempts.firstIndex(where: { $0.number > number }) ?? task.attempts.count
            if task.attempts[position...].contains(where: { $0.hasStarted }) { stats.lateEvents += 1 }
            MonitorState.reserveExactly(one: &task.attempts)
            task.attempts.insert(Attempt(number: number), at: position)
            boundAttempts(&task)
        }
        // A late attempt inserted into a full history may have been dropped by the bound at once.
        guard let slot = task.attempts.firstIndex(where: { $0.number == number }) else { return }
        task.attempts[slot].worker = worker
        task.attempts[slot].received = event.timestamp
        task.attempts[slot].receivedClock = event.clock
        task.attempts[slot].eta = event.eta
        if let previous = task.attempts.firstIndex(where: { $0.number == number - 1 }) {
            task.attempts[previous].retryAt = event.eta ?? event.timestamp
        }
        if number >= (task.attempts.last?.number ?? 0) { task.eta = event.eta }
    }

    mutating func applyStarted(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let worker = workerName(event.hostname, in: task)
        let index: Int
        if let first = task.attempts.firstIndex(where: {
            $0.worker == worker && $0.started == nil && $0.outcome == nil && $0.receivedClock <= event.clock
        }) {
            index = first
        } else if let open = task.attempts.lastIndex(where: { $0.started == nil && $0.outcome == nil }) {
            index = open
        } else {
            index = appendGuessedAttempt(to: &task, worker: worker)
        }
        if task.attempts[(index + 1)...].contains(where: { $0.started != nil }) { stats.lateEvents += 1 }
        task.attempts[index].worker = worker
        task.attempts[index].started = event.timestamp
        task.attempts[index].startedClock = event.clock
    }

    mutating func applyEnded(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        let worker = workerName(event.hostname, in: task)
        let index: Int
        if let started = task.attempts.firstIndex(where: {
            $0.worker == worker && $0.outcome == nil && $0.startedClock >= 0 && $0.startedClock <= event.clock
        }) {
            index = started
        } else if let received = task.attempts.lastIndex(where: { $0.worker == worker && $0.outcome == nil && $0.receivedClock <= event.clock }) {
            index = received
        } else if let open = task.attempts.lastIndex(where: { $0.outcome == nil }) {
            index = open
        } else {
            index = appendGuessedAttempt(to: &task, worker: worker)
        }
        if task.attempts[(index + 1)...].contains(where: { $0.started != nil }) { stats.lateEvents += 1 }
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
        }
        if let exception, outcome != .success {
            noteException(exception, task: task, isRetry: outcome == .retry, at: event.timestamp)
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

    mutating func applyRevoked(_ event: borrowing CeleryEvent, to task: inout TaskRecord) {
        task.revocation = TaskRecord.Revocation(
            terminated: event.terminated ?? false, signum: event.signum, expired: event.expired ?? false, at: event.timestamp)
        task.revokeSentAt = nil
        if let open = task.attempts.lastIndex(where: { $0.outcome == nil }) {
            task.attempts[open].outcome = .revoked
            task.attempts[open].ended = event.timestamp
            task.attempts[open].endedClock = event.clock
            if task.attempts[open].worker == nil { task.attempts[open].worker = workerName(event.hostname, in: task) }
        }
    }

    /// The shared copy of a worker's hostname: the task's latest worker when it is the same one (one
    /// comparison; a task's events mostly come from one worker), else the interned name (a hash).
    mutating func workerName(_ hostname: String, in task: TaskRecord) -> String {
        if let latest = task.worker, latest == hostname { return latest }
        return names.intern(hostname)
    }

    /// An event for an attempt whose `task-received` was never seen: a new attempt after the last one.
    mutating func appendGuessedAttempt(to task: inout TaskRecord, worker: String) -> Int {
        let number = (task.attempts.last?.number ?? task.retries) + 1
        MonitorState.reserveExactly(one: &task.attempts)
        task.attempts.append(Attempt(number: number, worker: worker))
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
        if let slot = ratesByName.index(forKey: key) {
            ratesByName.values[slot].add(kind, at: event.timestamp)
        } else {
            let shared = ratesByName.count >= limits.maxTaskNames ? MonitorLimits.maxTaskNamesOverflow : key
            ratesByName[shared, default: RateSeries()].add(kind, at: event.timestamp)
        }
    }

    mutating func noteException(_ entry: ExceptionCatalog.Entry, task: TaskRecord, isRetry: Bool, at time: Double) {
        let fingerprint = entry.fingerprint
        var slot = exceptionGroups.index(forKey: fingerprint)
        if slot == nil {
            guard exceptionGroups.count < limits.maxExceptionGroups else { return }
            exceptionGroups[fingerprint] = ExceptionGroup(fingerprint: fingerprint.text, sample: entry.text, at: time)
            slot = exceptionGroups.index(forKey: fingerprint)
        }
        guard let slot else { return }
        exceptionGroups.values[slot].record(
            sample: entry.text, name: task.name ?? "(unknown name)", taskID: task.key, isRetry: isRetry, at: time)
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
        if after == .failure {
            // The set answers "already listed?" with one hash; the list is scanned only when it is.
            if recentFailureSet.insert(task.key).inserted == false { recentFailures.removeAll { $0 == task.key } }
            recentFailures.append(task.key)
            if recentFailures.count > limits.maxRecentFailures {
                let overflow = recentFailures.count - limits.maxRecentFailures
                for id in recentFailures.prefix(overflow) { recentFailureSet.remove(id) }
                recentFailures.removeFirst(overflow)
            }
        }
        fileForEviction(task, from: before)
    }
}
