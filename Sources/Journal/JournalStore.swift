import Foundation
import Monitor

/// The journal's writes, synchronous, on one connection: batches, sessions, gaps, actions, retention.
///
/// Used by `JournalWriter`'s thread only (and by tests directly, with their own clock). Each
/// `write(_:now:)` is one transaction. Rules: an attempt's traceback or exception already journaled is
/// kept when a later version of the task no longer carries it (the fold's traceback store is bounded);
/// rate cells add up; a worker's online period runs from its first heartbeat to its `worker-offline`
/// or its last heartbeat.
public final class JournalStore {
    let database: SQLiteDatabase
    private let upsertTask: SQLiteStatement
    private let upsertAttempt: SQLiteStatement
    private let findFrames: SQLiteStatement
    private let insertFrames: SQLiteStatement
    /// Frames already stored, by text: a storm's few code paths are looked up once. Bounded; emptied
    /// when retention may have deleted frames.
    private var framesIDs: [String: Int] = [:]
    static let maxCachedFrames = 1_024
    private let addRate: SQLiteStatement
    private let upsertGroup: SQLiteStatement
    private let upsertGap: SQLiteStatement
    private let openPeriod: SQLiteStatement
    private let extendPeriod: SQLiteStatement
    private let insertAction: SQLiteStatement
    private var session: Int?
    /// Each worker's open online period (`online_from`, `last_seen`); bounded by the fold's worker bound.
    private var periods: [String: (from: Double, lastSeen: Double)] = [:]
    /// A heartbeat gap longer than this ends one online period and starts another.
    static let periodBreakSeconds = 300.0

    public init(path: String) throws(JournalError) {
        try JournalLocation.prepareFile(path)
        database = try SQLiteDatabase(path: path, readOnly: false)
        try JournalSchema.prepare(database)
        upsertTask = try database.prepare("""
            INSERT INTO tasks (id, name, state, retries, args, kwargs, queue, worker, first_seen, last_update, eta,
                revoked_at, revoke_terminated, requeued_as, requeue_of, written_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            ON CONFLICT (id) DO UPDATE SET name = COALESCE(excluded.name, name), state = excluded.state,
                retries = max(retries, excluded.retries), args = COALESCE(excluded.args, args),
                kwargs = COALESCE(excluded.kwargs, kwargs), queue = COALESCE(excluded.queue, queue),
                worker = COALESCE(excluded.worker, worker), first_seen = min(first_seen, excluded.first_seen),
                last_update = max(last_update, excluded.last_update), eta = excluded.eta,
                revoked_at = COALESCE(excluded.revoked_at, revoked_at), revoke_terminated = excluded.revoke_terminated,
                requeued_as = COALESCE(excluded.requeued_as, requeued_as),
                requeue_of = COALESCE(excluded.requeue_of, requeue_of), written_at = excluded.written_at
            """)
        upsertAttempt = try database.prepare("""
            INSERT INTO attempts (task_id, number, worker, received, started, ended, runtime, outcome, exception,
                eta, retry_at, backoff_wait, sent, beginning_unseen, traceback_frames, traceback_tail)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            ON CONFLICT (task_id, number) DO UPDATE SET worker = COALESCE(excluded.worker, worker),
                received = COALESCE(excluded.received, received), started = COALESCE(excluded.started, started),
                ended = COALESCE(excluded.ended, ended), runtime = COALESCE(excluded.runtime, runtime),
                outcome = COALESCE(excluded.outcome, outcome), exception = COALESCE(excluded.exception, exception),
                eta = COALESCE(excluded.eta, eta), retry_at = COALESCE(excluded.retry_at, retry_at),
                backoff_wait = COALESCE(excluded.backoff_wait, backoff_wait), sent = COALESCE(excluded.sent, sent),
                beginning_unseen = excluded.beginning_unseen,
                traceback_frames = CASE WHEN excluded.traceback_tail IS NULL THEN traceback_frames ELSE excluded.traceback_frames END,
                traceback_tail = COALESCE(excluded.traceback_tail, traceback_tail)
            """)
        findFrames = try database.prepare("SELECT id, text FROM traceback_frames WHERE digest = ?1")
        insertFrames = try database.prepare("INSERT INTO traceback_frames (digest, text) VALUES (?1, ?2)")
        addRate = try database.prepare("""
            INSERT INTO rates (name, minute, received, succeeded, retried, failed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (name, minute) DO UPDATE SET received = received + excluded.received,
                succeeded = succeeded + excluded.succeeded, retried = retried + excluded.retried, failed = failed + excluded.failed
            """)
        upsertGroup = try database.prepare("""
            INSERT INTO exception_groups (fingerprint, type, sample, retries, failures, names, first_seen, last_seen)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (fingerprint) DO UPDATE SET sample = excluded.sample, retries = max(retries, excluded.retries),
                failures = max(failures, excluded.failures), names = excluded.names,
                first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
            """)
        upsertGap = try database.prepare("""
            INSERT INTO gaps (from_time, to_time, reason) VALUES (?1, ?2, ?3)
            ON CONFLICT (from_time, reason) DO UPDATE SET to_time = excluded.to_time
            """)
        openPeriod = try database.prepare(
            "INSERT OR IGNORE INTO worker_periods (hostname, online_from, last_seen, offline_at) VALUES (?1, ?2, ?3, ?4)")
        extendPeriod = try database.prepare(
            "UPDATE worker_periods SET last_seen = max(last_seen, ?3), offline_at = ?4 WHERE hostname = ?1 AND online_from = ?2")
        insertAction = try database.prepare(
            "INSERT INTO actions (at, record, phase, action, user, task_ids, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        let open = try database.prepare("SELECT hostname, online_from, last_seen FROM worker_periods WHERE offline_at IS NULL")
        while try open.step() {
            if let host = open.string(0), let from = open.double(1), let seen = open.double(2) { periods[host] = (from, seen) }
        }
    }

    // MARK: Sessions and gaps

    /// Starts this process's session; the time since the previous one ended (or, after a crash, since it
    /// was last alive) is recorded as a gap when nothing was recording. Returns that gap, if any.
    @discardableResult
    func beginSession(now: Double, pid: Int) throws(JournalError) -> ConnectionState.Gap? {
        var gap: ConnectionState.Gap?
        let last = try database.prepare("SELECT alive, ended FROM sessions ORDER BY id DESC LIMIT 1")
        if try last.step(), let alive = last.double(0) {
            let ended = last.double(1)
            let from = ended ?? alive
            if now > from {
                gap = ConnectionState.Gap(
                    from: from, to: now, reason: ended == nil ? "recorder stopped without closing (crash)" : "not recording")
            }
        }
        try transaction { () throws(JournalError) in
            if let gap { try self.write(gap: gap) }
            let insert = try database.prepare("INSERT INTO sessions (pid, started, alive) VALUES (?1, ?2, ?2)")
            insert.bind(1, pid)
            insert.bind(2, now)
            try insert.run()
        }
        session = Int(try database.scalar("SELECT max(id) FROM sessions") ?? 0)
        return gap
    }

    /// Marks the session closed cleanly at `now` (its last commit).
    func endSession(now: Double) throws(JournalError) {
        guard let session else { return }
        try database.execute("UPDATE sessions SET alive = \(now), ended = \(now) WHERE id = \(session)")
    }

    func write(gap: ConnectionState.Gap) throws(JournalError) {
        upsertGap.bind(1, gap.from)
        upsertGap.bind(2, gap.to)
        upsertGap.bind(3, gap.reason)
        try upsertGap.run()
    }

    // MARK: Batches

    /// Writes one batch (and audit lines) in one transaction, and marks the session alive at `now`.
    public func write(_ batch: JournalBatch, audit: AuditLogTail.Chunk? = nil, now: Double) throws(JournalError) {
        try transaction { () throws(JournalError) in
            for task in batch.tasks { try self.write(task, now: now) }
            for cell in batch.rateCells { try self.write(cell) }
            for group in batch.exceptionGroups { try self.write(group) }
            for worker in batch.workers { try self.write(worker) }
            for gap in batch.gaps { try self.write(gap: gap) }
            if let audit {
                for line in audit.lines { try self.write(line) }
                try self.setMeta(AuditLogTail.positionKey, audit.position)
            }
            if let session {
                try database.execute("UPDATE sessions SET alive = \(now) WHERE id = \(session)")
            }
        }
    }

    func transaction(_ body: () throws(JournalError) -> Void) throws(JournalError) {
        try database.execute("BEGIN IMMEDIATE")
        do {
            try body()
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    func write(_ task: JournaledTask, now: Double) throws(JournalError) {
        let s = upsertTask
        s.bind(1, task.id)
        s.bind(2, task.name)
        s.bind(3, task.state.rawValue)
        s.bind(4, task.retries)
        s.bind(5, task.args)
        s.bind(6, task.kwargs)
        s.bind(7, task.queue)
        s.bind(8, task.worker)
        s.bind(9, task.firstSeen)
        s.bind(10, task.lastUpdate)
        s.bind(11, task.eta)
        s.bind(12, task.revokedAt)
        s.bind(13, task.revokeTerminated ? 1 : 0)
        s.bind(14, task.requeuedAs)
        s.bind(15, task.requeueOf)
        s.bind(16, now)
        try s.run()
        for attempt in task.attempts {
            let a = upsertAttempt
            a.bind(1, task.id)
            a.bind(2, attempt.number)
            a.bind(3, attempt.worker)
            a.bind(4, attempt.received)
            a.bind(5, attempt.started)
            a.bind(6, attempt.ended)
            a.bind(7, attempt.runtime)
            a.bind(8, attempt.outcome?.rawValue)
            a.bind(9, attempt.exception)
            a.bind(10, attempt.eta)
            a.bind(11, attempt.retryAt)
            a.bind(12, attempt.backoffWait)
            a.bind(13, attempt.sent)
            a.bind(14, attempt.beginningUnseen ? 1 : 0)
            let parts = attempt.traceback.map(TracebackParts.init(splitting:))
            a.bind(15, try parts?.frames.map(framesID))
            a.bind(16, parts?.tail)
            try a.run()
        }
    }

    /// The id of `frames` in `traceback_frames`, stored now if new.
    func framesID(_ frames: String) throws(JournalError) -> Int {
        if let known = framesIDs[frames] { return known }
        let digest = TracebackParts.digest(frames)
        findFrames.bind(1, digest)
        var found: Int?
        while found == nil, try findFrames.step() {
            if findFrames.string(1) == frames { found = findFrames.int(0) }
        }
        findFrames.reset()
        let id: Int
        if let found {
            id = found
        } else {
            insertFrames.bind(1, digest)
            insertFrames.bind(2, frames)
            try insertFrames.run()
            id = database.lastInsertRowID
        }
        if framesIDs.count >= Self.maxCachedFrames { framesIDs.removeAll(keepingCapacity: true) }
        framesIDs[frames] = id
        return id
    }

    /// Applies `retention` (age, then size) and deletes the frames no attempt uses any more.
    func applyRetention(_ retention: JournalRetention, now: Double) throws(JournalError) {
        let outcome = try retention.apply(to: database, now: now)
        guard outcome.tasksDeleted > 0 else { return }
        framesIDs.removeAll(keepingCapacity: true)
        try database.execute("""
            DELETE FROM traceback_frames WHERE id NOT IN
                (SELECT traceback_frames FROM attempts WHERE traceback_frames IS NOT NULL)
            """)
    }

    func write(_ cell: RateCell) throws(JournalError) {
        addRate.bind(1, cell.key.name)
        addRate.bind(2, cell.key.minute)
        addRate.bind(3, cell.received)
        addRate.bind(4, cell.succeeded)
        addRate.bind(5, cell.retried)
        addRate.bind(6, cell.failed)
        try addRate.run()
    }

    func write(_ group: ExceptionGroup) throws(JournalError) {
        upsertGroup.bind(1, group.fingerprint)
        upsertGroup.bind(2, group.typeName)
        upsertGroup.bind(3, group.sample)
        upsertGroup.bind(4, group.retries)
        upsertGroup.bind(5, group.failures)
        upsertGroup.bind(6, group.names.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        upsertGroup.bind(7, group.firstSeen)
        upsertGroup.bind(8, group.lastSeen)
        try upsertGroup.run()
    }

    /// Opens, extends or closes the worker's online period.
    func write(_ worker: WorkerRecord) throws(JournalError) {
        guard let heartbeat = worker.lastHeartbeat else { return }
        let offline = worker.offlineAt.flatMap { $0 >= heartbeat ? $0 : nil }
        if let open = periods[worker.hostname], heartbeat - open.lastSeen <= JournalStore.periodBreakSeconds, heartbeat >= open.from {
            extendPeriod.bind(1, worker.hostname)
            extendPeriod.bind(2, open.from)
            extendPeriod.bind(3, heartbeat)
            extendPeriod.bind(4, offline)
            try extendPeriod.run()
            periods[worker.hostname] = offline == nil ? (open.from, max(open.lastSeen, heartbeat)) : nil
            return
        }
        if let open = periods[worker.hostname], heartbeat > open.lastSeen {
            // Silent for longer than the break: the old period ended at its last heartbeat.
            extendPeriod.bind(1, worker.hostname)
            extendPeriod.bind(2, open.from)
            extendPeriod.bind(3, open.lastSeen)
            extendPeriod.bind(4, open.lastSeen)
            try extendPeriod.run()
        }
        openPeriod.bind(1, worker.hostname)
        openPeriod.bind(2, heartbeat)
        openPeriod.bind(3, heartbeat)
        openPeriod.bind(4, offline)
        try openPeriod.run()
        periods[worker.hostname] = offline == nil ? (heartbeat, heartbeat) : nil
    }

    func write(_ line: AuditLine) throws(JournalError) {
        insertAction.bind(1, line.at)
        insertAction.bind(2, line.record)
        insertAction.bind(3, line.phase)
        insertAction.bind(4, line.action)
        insertAction.bind(5, line.user)
        insertAction.bind(6, line.taskIDs)
        insertAction.bind(7, line.text)
        try insertAction.run()
    }

    // MARK: Audit log position

    func metaValue(_ key: String) throws(JournalError) -> String? {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = ?1")
        statement.bind(1, key)
        return try statement.step() ? statement.string(0) : nil
    }

    func setMeta(_ key: String, _ value: String) throws(JournalError) {
        let statement = try database.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        statement.bind(1, key)
        statement.bind(2, value)
        try statement.run()
    }
}
