import Foundation
import Monitor
import Threading

/// The journal written as events arrive: a thread that turns the fold's facts into rows, coalesces them
/// and commits at most `commitInterval` apart, so the dashboard or the recorder never waits on disk.
///
/// Invariants: this process holds the journal's `JournalLock` for the writer's life; `submit` only
/// appends the facts to an inbox under a lock and wakes the thread (no I/O, no row building: that is
/// the writer thread's work, `JournalFacts.batch()`); one transaction holds the changes of one interval
/// (changes that waited more than a second before their commit are counted in `behind` and reported).
/// Idle, the thread sleeps until its next duty (`JournalCadence`: a mark of the session alive every
/// `aliveInterval`, retention every `retentionInterval`); it never polls. Bounds: the inbox holds at
/// most `maxPendingTasks` tasks (what passes it is counted in `overflow`), and pending changes are
/// coalesced by key (a task's latest version, a rate cell's sum), at most `maxPendingTasks` tasks.
/// Failures (disk full, unwritable path) become the status's `error`: the pending changes are kept and
/// written once the disk takes them; live monitoring is never stopped by the journal.
public final class JournalWriter: JournalPort, @unchecked Sendable {
    static let maxPendingTasks = 400_000
    /// Seconds between attempts to open a journal that could not be opened.
    static let reopenDelay = 5.0

    /// What the writer thread did, for tests and the idle-cost claim: loop turns and transactions.
    struct Activity: Equatable {
        var turns = 0
        var transactions = 0
    }

    public let configuration: JournalConfiguration
    private let journalLock: JournalLock
    private let mailbox: JournalMailbox
    private let thread = StoppableThread(name: "rt.journal")
    /// Guards the inbox and `activity` (the only state another thread touches).
    private let lock = NSLock()
    private var inbox: [JournalFacts] = []
    private var inboxTasks = 0
    private var inboxOverflow = 0
    /// When the oldest facts in the inbox arrived (writer clock), nil while it is empty.
    private var inboxSince: Double?
    private var activityCounts = Activity()
    // The writer thread's own state.
    private var pending = PendingChanges()
    private var pendingSince: Double?
    private var auditTail: AuditLogTail?
    private var store: JournalStore?
    /// Reads the last 24 h of rates back for the Rates pane (beside the store's connection).
    private var reader: JournalReader?
    private var ratesReadAt = -Double.infinity
    /// The gap recorded at start for the time nothing was recording (nil for a new journal).
    public private(set) var downtime: ConnectionState.Gap?

    public init(configuration: JournalConfiguration, lock: JournalLock) {
        self.configuration = configuration
        self.journalLock = lock
        self.mailbox = JournalMailbox(status: JournalStatus(mode: .writing, path: configuration.path))
        self.auditTail = configuration.auditLogPath.map(AuditLogTail.init(path:))
    }

    public var status: JournalStatus { mailbox.currentStatus }

    var activity: Activity { lock.withLock { activityCounts } }

    /// Opens the journal, loads the recent history and starts committing on the writer thread.
    public func start() {
        thread.start { [self] thread in run(thread) }
    }

    /// Commits what is pending, closes the session and waits for the thread (the lock is released after).
    public func stop() {
        thread.stop()
        journalLock.release()
    }

    public func submit(_ facts: JournalFacts) {
        let accepted = lock.withLock { () -> Bool in
            guard inboxTasks < JournalWriter.maxPendingTasks else {
                inboxOverflow += facts.taskCount + facts.rows.rateCells.count
                return false
            }
            if inbox.isEmpty { inboxSince = configuration.clock() }
            inbox.append(facts)
            inboxTasks += facts.taskCount
            return true
        }
        if accepted { thread.wake() }
    }

    public func take() -> JournalDelivery { mailbox.take() }

    /// The writer thread's nice value: below the reader, decode and frame threads.
    static let niceness: Int32 = 10

    private func run(_ thread: StoppableThread) {
        // The journal is history, the screen and the subscriber are now: on two cores a writer at the
        // same priority took CPU from the dashboard's frames during a storm (key latency doubled in
        // StormResponsivenessTests). On Linux the nice value is per thread: `who` 0 is this thread alone.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        // Until the journal opens, submitted facts still become rows (the inbox lets go of the fold's
        // records) and wait, coalesced, in `pending`; a retry every `reopenDelay` seconds.
        var nextOpen = Date.distantPast
        while store == nil {
            takeInbox()
            if Date() >= nextOpen {
                openStore()
                nextOpen = Date(timeIntervalSinceNow: Self.reopenDelay)
            }
            if store != nil || !thread.wait(seconds: nextOpen.timeIntervalSinceNow) { break }
        }
        var cadence = JournalCadence(configuration, now: configuration.clock())
        while true {
            let stopping = thread.isStopRequested
            takeInbox()
            let now = configuration.clock()
            lock.withLock { activityCounts.turns += 1 }
            if stopping || cadence.transactionDue(now: now, hasChanges: !pending.isEmpty) {
                commit(now: now)
                cadence.transacted(at: now)
            }
            if cadence.retentionDue(now: now) {
                applyRetention(now: now)
                refreshRates(now: now)
                cadence.retained(at: now)
            }
            if stopping { break }
            thread.wait(seconds: cadence.delay(now: configuration.clock(), hasChanges: !pending.isEmpty))
        }
        if let store {
            do {
                try store.endSession(now: configuration.clock())
            } catch {
                mailbox.update { $0.error = error.description }
            }
        }
        store = nil
        reader = nil
    }

    /// Builds the rows of what was submitted and coalesces them into the pending changes (writer thread).
    private func takeInbox() {
        let (taken, overflow, since) = lock.withLock { () -> ([JournalFacts], Int, Double?) in
            let taken = (inbox, inboxOverflow, inboxSince)
            inbox = []
            inboxTasks = 0
            inboxOverflow = 0
            inboxSince = nil
            return taken
        }
        for facts in taken { pending.merge(facts.batch(), maxTasks: JournalWriter.maxPendingTasks) }
        pending.overflow += overflow
        if let since { pendingSince = min(pendingSince ?? since, since) }
    }

    private func openStore() {
        let now = configuration.clock()
        do {
            let opened = try JournalStore(path: configuration.path)
            downtime = try opened.beginSession(now: now, pid: Int(getpid()))
            store = opened
            let reader = try JournalReader(path: configuration.path)
            try mailbox.load(from: reader, configuration: configuration, now: now)
            self.reader = reader
            ratesReadAt = now
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

    /// Writes what is pending in one transaction, or else marks the session alive; on failure keeps the
    /// changes for the next try.
    private func commit(now: Double) {
        guard let store else { return }
        lock.withLock { activityCounts.transactions += 1 }
        var changes = pending
        pending = PendingChanges()
        let audit = readAudit(store)
        let fellBehind = pendingSince.map { now - $0 > 1 } ?? false
        guard !changes.isEmpty || audit != nil else {
            pendingSince = nil
            // Still alive: a recorder killed now leaves a gap that starts here.
            try? store.database.execute("UPDATE sessions SET alive = \(now) WHERE id = (SELECT max(id) FROM sessions)")
            return
        }
        do {
            try store.write(changes.batch, audit: audit, now: now)
            pendingSince = nil
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
            pending = changes
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

    /// Reads the last 24 h of rates again for the Rates pane, at most once a minute (in retention's turn:
    /// no wake of its own).
    private func refreshRates(now: Double) {
        guard let reader, now - ratesReadAt >= JournalWriter.ratesInterval else { return }
        ratesReadAt = now
        do {
            try mailbox.loadRates(from: reader, now: now)
        } catch {
            mailbox.update { $0.error = error.description }
        }
    }

    /// How often the 24 h rates are read back (the long view's buckets are 96 minutes wide at 15 columns).
    static let ratesInterval = 55.0

    private func applyRetention(now: Double) {
        guard let store else { return }
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
