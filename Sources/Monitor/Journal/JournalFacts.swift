/// One frame's changes for the journal as the fold left them: cheap to take on the owner's thread,
/// turned into journal rows (`batch()`) on the writer's thread.
///
/// Why: building `JournaledTask`s (an id string, every attempt's fields, unescaped tracebacks) once a
/// frame on the frame thread doubled key latency in a 45,000 events/s storm (StormResponsivenessTests),
/// so the owner hands over only what it already has: each changed task's record (one pointer to its
/// copy-on-write storage: the fold copies a record it changes while the writer still holds it, once),
/// the fresh tracebacks still escaped, and the rate cells, workers and exception groups it changed.
/// Bounds: at most one `JournalFeed`'s worth (`JournalFeed.maxTouchedTasks` tasks, `maxRateCells` cells).
public struct JournalFacts: Sendable, Equatable {
    /// Changed tasks worth journaling, as the fold had them when the facts were taken.
    var records: [TaskRecord] = []
    /// Tracebacks that arrived since the last facts (only these travel: the writer keeps what it has).
    var tracebacks: [TracebackStore.Key: EscapedText] = [:]
    /// What is already in the journal's form: rate cells, workers, exception groups, the connection's
    /// gaps when they changed, the feed's overflow, and tasks handed over as rows (a batch as facts).
    public var rows = JournalBatch()

    public init() {}

    /// Facts made of rows already built (the benchmark's synthetic batches, tests).
    public init(_ batch: JournalBatch) {
        rows = batch
    }

    /// Tasks these facts carry.
    public var taskCount: Int { records.count + rows.tasks.count }

    public var isEmpty: Bool { records.isEmpty && rows.isEmpty }

    /// The journal's rows: every record in its journal form, a traceback only where it is fresh.
    /// Runs on the writer's thread (the costly part: strings and attempts are copied here).
    public func batch() -> JournalBatch {
        var batch = rows
        batch.tasks.reserveCapacity(taskCount)
        for record in records { batch.tasks.append(journaled(record)) }
        return batch
    }

    /// The journal's form of `task`.
    func journaled(_ task: TaskRecord) -> JournaledTask {
        var attempts: [JournaledAttempt] = []
        attempts.reserveCapacity(task.attempts.count)
        for attempt in task.attempts {
            let traceback = tracebacks.isEmpty ? nil : tracebacks[TracebackStore.Key(taskID: task.key, attempt: attempt.number)]?.string
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
}
