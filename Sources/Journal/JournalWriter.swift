import Foundation
import Monitor

/// The journal written as events arrive: a thread that commits the fold's batches, coalesced, at most
/// `commitInterval` apart, so the dashboard or the recorder never waits on disk.
///
/// Invariants: this process holds the journal's `JournalLock` for the writer's life; `submit` only
/// merges into the pending changes under a lock (no I/O); one transaction holds the changes of one
/// interval (a transaction that took longer than a second means the next holds more than a second of
/// changes: that is counted in `behind` and reported). Bounds: pending changes are coalesced by key
/// (a task's latest version, a rate cell's sum), at most `maxPendingTasks` tasks (more are counted in
/// `overflow`). Failures (disk full, unwritable path) become the status's `error`: the pending changes
/// are kept and written once the disk takes them; live monitoring is never stopped by the journal.
public final class JournalWriter: JournalPort, @unchecked Sendable {
    static let maxPendingTasks = 400_000

    public let configuration: JournalConfiguration
    private let journalLock: JournalLock
    private let mailbox: JournalMailbox
    private let lock = NSLock()
    private var pending = PendingChanges()
    private var stopping = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    private var auditTail: AuditLogTail?
    private var store: JournalStore?
    private var lastRetention = -Double.infinity
    /// The gap recorded at start for the time nothing was recording (nil for a new journal).
    public private(set) var downtime: ConnectionState.Gap?

    public init(configuration: JournalConfiguration, lock: JournalLock) {
        self.configuration = configuration
        self.journalLock = lock
        self.mailbox = JournalMailbox(status: JournalStatus(mode: .writing, path: configuration.path))
        self.auditTail = configuration.auditLogPath.map(AuditLogTail.init(path:))
    }

    public var status: JournalStatus { mailbox.currentStatus }

    /// Opens the journal, loads the recent history and starts committing on the writer thread.
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "retrytop.journal"
        self.thread = thread
        thread.start()
    }

    /// Commits what is pending, closes the session and waits for the thread (the lock is released after).
    public func stop() {
        let wasRunning = lock.withLock {
            let running = thread != nil && !stopping
            stopping = true
            return running
        }
        if wasRunning { finished.wait() }
        journalLock.release()
    }

    public func submit(_ batch: JournalBatch) {
        lock.withLock { pending.merge(batch, maxTasks: JournalWriter.maxPendingTasks) }
    }

    public func take() -> JournalDelivery { mailbox.take() }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// The writer thread's nice value: below the reader, decode and frame threads.
    static let niceness: Int32 = 10

    private func run() {
        defer { finished.signal() }
        // The journal is history, the screen and the subscriber are now: on two cores a writer at the
        // same priority took CPU from the dashboard's frames during a storm (key latency doubled in
        // StormResponsivenessTests). On Linux the nice value is per thread: `who` 0 is this thread alone.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        while store == nil {
            openStore()
            if store != nil || isStopping { break }
            sleepUnlessStopping(5)
        }
        var lastCommit = configuration.clock()
        while true {
            let stop = isStopping
            let started = configuration.clock()
            commit(now: started, heldSince: lastCommit)
            lastCommit = started
            if started - lastRetention >= configuration.retentionInterval { applyRetention(now: started) }
            if stop { break }
            sleepUnlessStopping(configuration.commitInterval)
        }
        if let store {
            do {
                try store.endSession(now: configuration.clock())
            } catch {
                mailbox.update { $0.error = error.description }
            }
        }
        store = nil
    }

    private func sleepUnlessStopping(_ seconds: Double) {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until, !isStopping { usleep(20_000) }
    }

    private func openStore() {
        let now = configuration.clock()
        do {
            let opened = try JournalStore(path: configuration.path)
            downtime = try opened.beginSession(now: now, pid: Int(getpid()))
            store = opened
            let reader = try JournalReader(path: configuration.path)
            try mailbox.load(from: reader, configuration: configuration, now: now)
            mailbox.update {
                $0.mode = .writing
                $0.error = nil
            }
        } catch {
            mailbox.update {
                $0.mode = .failed
                $0.error = error.description
            }
        }
    }

    /// Writes what is pending in one transaction; on failure keeps it for the next try.
    private func commit(now: Double, heldSince: Double) {
        guard let store else { return }
        var changes = lock.withLock { () -> PendingChanges in
            let taken = pending
            pending = PendingChanges()
            return taken
        }
        let audit = readAudit(store)
        let fellBehind = now - heldSince > 1
        guard !changes.isEmpty || audit != nil else {
            // Still alive: a recorder killed now leaves a gap that starts here.
            try? store.database.execute("UPDATE sessions SET alive = \(now) WHERE id = (SELECT max(id) FROM sessions)")
            return
        }
        do {
            try store.write(changes.batch, audit: audit, now: now)
            mailbox.update {
                $0.error = nil
                if $0.mode == .failed { $0.mode = .writing }
                $0.tasksWritten += changes.tasks.count
                $0.overflow += changes.overflow
                if fellBehind { $0.behind += 1 }
                if !changes.batch.gaps.isEmpty || audit != nil {
                    $0.setGaps(mergedGaps($0.gaps, changes.batch.gaps))
                }
            }
        } catch {
            changes.overflow = 0
            lock.withLock {
                changes.merge(pending, maxTasks: JournalWriter.maxPendingTasks)
                pending = changes
            }
            mailbox.update {
                $0.mode = .failed
                $0.error = error.description
            }
        }
    }

    private func readAudit(_ store: JournalStore) -> AuditLogTail.Chunk? {
        guard var tail = auditTail else { return nil }
        defer { auditTail = tail }
        return tail.read(after: try? store.metaValue(AuditLogTail.positionKey))
    }

    private func mergedGaps(_ known: [ConnectionState.Gap], _ fresh: [ConnectionState.Gap]) -> [ConnectionState.Gap] {
        var byStart: [String: ConnectionState.Gap] = [:]
        for gap in known + fresh { byStart["\(gap.from)|\(gap.reason)"] = gap }
        return byStart.values.sorted { $0.from < $1.from }
    }

    private func applyRetention(now: Double) {
        guard let store else { return }
        lastRetention = now
        do {
            try store.applyRetention(configuration.retention, now: now)
        } catch {
            mailbox.update { $0.error = error.description }
        }
    }
}

/// Changes waiting for the writer, coalesced by key (see `JournalWriter`'s bounds).
struct PendingChanges {
    var tasks: [String: JournaledTask] = [:]
    var rateCells: [RateCell.Key: RateCell] = [:]
    var workers: [String: WorkerRecord] = [:]
    var groups: [String: ExceptionGroup] = [:]
    var gaps: [ConnectionState.Gap] = []
    var overflow = 0

    var isEmpty: Bool {
        tasks.isEmpty && rateCells.isEmpty && workers.isEmpty && groups.isEmpty && gaps.isEmpty
    }

    /// A task's newer version replaces the older, keeping tracebacks only the older carried.
    mutating func merge(_ batch: JournalBatch, maxTasks: Int) {
        for var task in batch.tasks {
            if let older = tasks[task.id] {
                for index in task.attempts.indices where task.attempts[index].traceback == nil {
                    task.attempts[index].traceback = older.attempts.first { $0.number == task.attempts[index].number }?.traceback
                }
            } else if tasks.count >= maxTasks {
                overflow += 1
                continue
            }
            tasks[task.id] = task
        }
        for cell in batch.rateCells { rateCells[cell.key, default: RateCell(key: cell.key)].add(cell) }
        for worker in batch.workers { workers[worker.hostname] = worker }
        for group in batch.exceptionGroups { groups[group.fingerprint] = group }
        if !batch.gaps.isEmpty { gaps = batch.gaps }
        overflow += batch.overflow
    }

    /// Merges changes that could not be written back under newer ones.
    mutating func merge(_ newer: PendingChanges, maxTasks: Int) {
        merge(newer.batch, maxTasks: maxTasks)
    }

    var batch: JournalBatch {
        var batch = JournalBatch()
        batch.tasks = Array(tasks.values)
        batch.rateCells = Array(rateCells.values)
        batch.workers = Array(workers.values)
        batch.exceptionGroups = Array(groups.values)
        batch.gaps = gaps
        batch.overflow = overflow
        return batch
    }
}
