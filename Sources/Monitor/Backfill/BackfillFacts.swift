/// What backfill found for one task, kept beside the record so the merge is order-free.
///
/// Why: the sources are read at different moments and merged as they finish, in any order, and events
/// may arrive in between. Keeping the newest message fact and the result record lets the record be
/// rebuilt from all facts at each merge, so "unacked then backend" and "backend then unacked" give the
/// same task. Arguments and tracebacks are not kept here (the record and the traceback store hold them).
public struct BackfillFacts: Sendable, Equatable {
    /// The newest held or queued message (highest `retries`) from `unacked`, a queue or inspect.
    public var message: BackfilledTask?
    /// The result backend's record.
    public var backend: BackfilledTask?
    /// What a worker said it holds (`inspect active/reserved/scheduled`): worker, start time, ETA. Inspect
    /// replies carry no `retries`, so this never numbers an attempt on its own.
    public var held: BackfilledTask?
    /// The id is in a worker's revoked set (`inspect revoked`): a held message of it is discarded at its
    /// ETA and never runs (docs/celery-wire.md, "Revoked ids: a held message of one never runs").
    public var revokedByWorkers: Bool

    public init(message: BackfilledTask? = nil, backend: BackfilledTask? = nil, held: BackfilledTask? = nil, revokedByWorkers: Bool = false) {
        self.message = message
        self.backend = backend
        self.held = held
        self.revokedByWorkers = revokedByWorkers
    }

    /// The state the result backend stored, kept even when events or the broker contradict it (docs/celery-wire.md,
    /// "Result backend records").
    public var backendState: TaskState? { backend?.state }

    /// Whether the result record is trusted for the task's state and attempts.
    ///
    /// A held message is what a worker really has now, so a result record is trusted over it only when it
    /// is about the same attempt or a later one and was written after the message was read (a task that
    /// ran and finished between the two reads), or when it is the RETRY that produced the held retry.
    /// A record without `retries` (no `result_extended`, or a REVOKED written by the revoke command) is
    /// trusted over a held message only when it was written after the message was read.
    public var backendTrusted: Bool {
        guard let backend, backend.state != nil else { return false }
        guard let message = message ?? held else { return true }
        let held = message.attemptNumber ?? 1
        guard let number = backend.attemptNumber else {
            if backend.state == .retry { return held > 1 }
            return (backend.dateDone ?? -.infinity) >= message.readAt
        }
        if number < held { return backend.state == .retry && number == held - 1 }
        if backend.state == .retry { return true }
        return (backend.dateDone ?? -.infinity) >= message.readAt
    }
}
