import Foundation
import Monitor

/// Reads a journal: the tasks of a recent window with their attempts, the gaps, the oldest record.
///
/// Opens read-only (never creates or changes the journal: `snapshot` and a following dashboard use it
/// while a recorder writes). Bound: at most `limit` tasks per read (the newest), each with at most
/// `maxAttempts` attempts (the first and the newest, as the fold keeps them).
public final class JournalReader {
    public let path: String
    let database: SQLiteDatabase
    /// The frames' id and the tail of an attempt's traceback; a version 1 journal (opened read-only, so not
    /// migrated) keeps each traceback whole in `attempts.traceback`.
    private let tracebackColumns: String

    public init(path: String) throws(JournalError) {
        guard FileManager.default.fileExists(atPath: path) else { throw JournalError(path: path, message: "no such journal") }
        self.path = path
        database = try SQLiteDatabase(path: path, readOnly: true)
        let wholeTracebacks = try database.scalar("SELECT count(*) FROM pragma_table_info('attempts') WHERE name = 'traceback'") == 1
        tracebackColumns = wholeTracebacks ? "NULL, a.traceback" : "a.traceback_frames, a.traceback_tail"
    }

    /// Tasks whose last update is at or after `since`, or (with `writtenAfter`) written after that time.
    ///
    /// Tracebacks come with the newest tasks' attempts until `tracebackBytes` of text (the model's own
    /// traceback bound: it would drop older ones at once); the rest stay in the journal.
    public func tasks(
        since: Double, writtenAfter: Double? = nil, limit: Int, maxAttempts: Int, tracebackBytes: Int = MonitorLimits().maxTracebackBytes
    ) throws(JournalError) -> [JournaledTask] {
        let column = writtenAfter == nil ? "last_update" : "written_at"
        let bound = writtenAfter ?? since
        // Most of the table wanted (a start-up load): the attempts are read in one pass, in two halves on two
        // more connections and threads, while the tasks are read here; a few tasks (a follower's newest
        // writes): the join on the window, after them.
        let wanted = min(limit, Int(try database.scalar("SELECT count(*) FROM tasks WHERE \(column) >= \(bound)") ?? 0))
        let wholeTable = wanted * 3 >= Int(try database.scalar("SELECT max(rowid) FROM tasks") ?? 0)
        var scans: [AttemptScan] = []
        if wholeTable {
            // A version 1 table has no rowid to halve.
            let middle = tracebackColumns.hasPrefix("NULL") ? nil : Int(try database.scalar("SELECT max(rowid) FROM attempts") ?? 0) / 2
            let ranges = middle.map { ["WHERE a.rowid <= \($0)", "WHERE a.rowid > \($0)"] } ?? [""]
            scans = ranges.map { AttemptScan(path: path, sql: """
                SELECT a.task_id, a.number, a.worker, a.received, a.started, a.ended, a.runtime, a.outcome, a.exception,
                    \(tracebackColumns), a.eta, a.retry_at, a.sent, a.beginning_unseen FROM attempts a \($0)
                """) }
        }
        let select = try database.prepare("""
            SELECT id, name, state, retries, args, kwargs, queue, worker, first_seen, last_update, eta, revoked_at,
                revoke_terminated, requeued_as, requeue_of FROM tasks WHERE \(column) >= ?1 ORDER BY last_update DESC LIMIT ?2
            """)
        select.bind(1, bound)
        select.bind(2, limit)
        var found: [JournaledTask] = []
        found.reserveCapacity(wanted)
        // By key: a packed id hashes two words, where a String hashed all 36 bytes.
        var index: [TaskKey: Int] = [:]
        index.reserveCapacity(wanted)
        while try select.step() {
            guard let id = select.string(0), let state = Self.state(select.bytes(2)),
                  let firstSeen = select.double(8), let lastUpdate = select.double(9) else { continue }
            index[TaskKey(id)] = found.count
            found.append(JournaledTask(
                id: id, name: select.string(1), state: state, retries: select.int(3) ?? 0, args: select.string(4),
                kwargs: select.string(5), queue: select.string(6), worker: select.string(7), firstSeen: firstSeen,
                lastUpdate: lastUpdate, eta: select.double(10), revokedAt: select.double(11),
                revokeTerminated: (select.int(12) ?? 0) != 0, requeuedAs: select.string(13), requeueOf: select.string(14)))
        }
        // One list of groups per scan, walked in turn (joining them copied every group once more).
        var lists: [[AttemptGroup]] = []
        if wholeTable {
            for scan in scans { lists.append(try scan.wait()) }
        } else if !found.isEmpty {
            let join = try database.prepare("""
                SELECT a.task_id, a.number, a.worker, a.received, a.started, a.ended, a.runtime, a.outcome, a.exception,
                    \(tracebackColumns), a.eta, a.retry_at, a.sent, a.beginning_unseen
                FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.\(column) >= ?1 ORDER BY a.task_id, a.number
                """)
            join.bind(1, bound)
            lists.append(try Self.attemptGroups(join))
        }
        guard !found.isEmpty else { return [] }
        var tracebacks = Array(repeating: [PendingTraceback](), count: found.count)
        var joined: Set<Int> = []
        for list in lists.indices {
            for position in lists[list].indices {
                guard let slot = index[lists[list][position].key] else { continue }
                if found[slot].attempts.isEmpty {
                    swap(&found[slot].attempts, &lists[list][position].attempts)
                    swap(&tracebacks[slot], &lists[list][position].tracebacks)
                } else {
                    found[slot].attempts += lists[list][position].attempts
                    tracebacks[slot] += lists[list][position].tracebacks
                    joined.insert(slot)
                }
            }
        }
        for slot in joined { found[slot].attempts.sort { $0.number < $1.number } }
        try attach(tracebacks, to: &found, budget: tracebackBytes)
        if maxAttempts >= 2 {
            for slot in found.indices where found[slot].attempts.count > maxAttempts {
                let attempts = found[slot].attempts
                found[slot].attempts = [attempts[0]] + attempts.suffix(maxAttempts - 1)
            }
        }
        return found
    }

    /// One task's attempts as read, with their tracebacks' parts.
    fileprivate struct AttemptGroup {
        var key: TaskKey
        var attempts: [JournaledAttempt] = []
        var tracebacks: [PendingTraceback] = []
    }

    /// Attempts read by a thread of their own on a connection of their own, from the start.
    private final class AttemptScan: @unchecked Sendable {
        // Written by the thread, read after its signal only.
        private var groups: [AttemptGroup] = []
        private var error: JournalError?
        private let done = DispatchSemaphore(value: 0)

        init(path: String, sql: String) {
            Thread.detachNewThread { [self] in
                defer { done.signal() }
                do throws(JournalError) {
                    let database = try SQLiteDatabase(path: path, readOnly: true)
                    groups = try JournalReader.attemptGroups(try database.prepare(sql))
                } catch {
                    self.error = error
                }
            }
        }

        /// The groups read, once the thread is done; handed over, not shared: had the scan kept its
        /// reference, every task's attempts array would be copied when a traceback is put into it.
        func wait() throws(JournalError) -> [AttemptGroup] {
            done.wait()
            if let error { throw error }
            let read = groups
            groups = []
            return read
        }
    }

    /// Steps `statement` (task_id, number, worker, received, started, ended, runtime, outcome, exception,
    /// frames, tail, eta, retry_at, sent, beginning_unseen; in any order) to the end, one group per run of a task's rows.
    ///
    /// Per row, only what the final values need: the id is compared as bytes (a group's key is packed
    /// once, no String for a UUID), a worker or exception text equal to the previous row's is that same
    /// String (a task's retries mostly repeat both), and a group's array is sized as the previous one.
    fileprivate static func attemptGroups(_ statement: SQLiteStatement) throws(JournalError) -> [AttemptGroup] {
        var groups: [AttemptGroup] = []
        var id: [UInt8] = []  // the current group's id as read
        var worker: String?
        var exception: String?
        while try statement.step() {
            // Rows of one task mostly follow each other (a task's attempts are first written together): a new
            // group when the id changes; the groups of one task are joined by the caller.
            let bytes = statement.bytes(0)
            if groups.isEmpty || !Self.same(bytes, id) {
                var group = AttemptGroup(key: Self.key(bytes))
                group.attempts.reserveCapacity(groups.isEmpty ? 1 : groups[groups.count - 1].attempts.count)
                groups.append(group)
                id.removeAll(keepingCapacity: true)
                id.append(contentsOf: bytes)
            }
            guard let number = statement.int(1) else { continue }
            let last = groups.count - 1
            if let tail = statement.string(10) {
                groups[last].tracebacks.append(PendingTraceback(number: number, frames: statement.int(9), tail: tail))
            }
            groups[last].attempts.append(JournaledAttempt(
                number: number, worker: statement.string(2, reusing: &worker), received: statement.double(3),
                started: statement.double(4), ended: statement.double(5), runtime: statement.double(6),
                outcome: Self.state(statement.bytes(7)), exception: statement.string(8, reusing: &exception),
                traceback: nil, eta: statement.double(11), retryAt: statement.double(12), sent: statement.double(13),
                beginningUnseen: (statement.int(14) ?? 0) != 0))
        }
        return groups
    }

    /// Whether a row's id bytes are the current group's.
    private static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ id: [UInt8]) -> Bool {
        id.withUnsafeBufferPointer { current in
            current.count == bytes.count && (bytes.isEmpty || memcmp(current.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }

    /// Each state's name as bytes, to read a state column without making a String.
    private static let stateNames = TaskState.allCases.map { (name: Array($0.rawValue.utf8), state: $0) }

    /// The state whose name `bytes` spell (nil for NULL or any other text, as `TaskState(rawValue:)`).
    private static func state(_ bytes: UnsafeBufferPointer<UInt8>) -> TaskState? {
        for entry in stateNames where same(bytes, entry.name) { return entry.state }
        return nil
    }

    /// The key of an id read as bytes: the key of the text `string(_:)` makes of them (bad UTF-8 repaired,
    /// as for the tasks' ids), packed without a String for a UUID.
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> TaskKey {
        let key = TaskKey(utf8: bytes)
        return key.isInvalidUTF8 ? TaskKey(String(decoding: bytes, as: UTF8.self)) : key
    }

    /// An attempt's traceback as read: its frames' id and its tail, put in place later within the budget.
    fileprivate struct PendingTraceback {
        var number: Int
        var frames: Int?
        var tail: String
    }

    /// Puts the tracebacks in place, newest tasks first (`found`'s order), until `budget` bytes of text.
    private func attach(_ tracebacks: [[PendingTraceback]], to found: inout [JournaledTask], budget: Int) throws(JournalError) {
        var frameText: SQLiteStatement?  // prepared at the first shared frames (a version 1 journal has none)
        var frames: [Int: String] = [:]
        var used = 0
        for slot in found.indices {
            let pendings = tracebacks[slot].count > 1 ? tracebacks[slot].sorted(by: { $0.number > $1.number }) : tracebacks[slot]
            for pending in pendings {
                guard used < budget else { return }
                var text = pending.tail
                if let id = pending.frames {
                    if frames[id] == nil {
                        if frameText == nil { frameText = try database.prepare("SELECT text FROM traceback_frames WHERE id = ?1") }
                        guard let statement = frameText else { return }
                        statement.bind(1, id)
                        frames[id] = try statement.step() ? statement.string(0) ?? "" : ""
                        statement.reset()
                    }
                    text = (frames[id] ?? "") + text
                }
                guard let position = found[slot].attempts.firstIndex(where: { $0.number == pending.number }) else { continue }
                found[slot].attempts[position].traceback = text
                used += text.utf8.count
            }
        }
    }

    /// Windows when nothing was recording, oldest first (the newest `JournalStatus.maxGaps`).
    public func gaps() throws(JournalError) -> [ConnectionState.Gap] {
        let select = try database.prepare(
            "SELECT from_time, to_time, reason FROM gaps ORDER BY from_time DESC LIMIT \(JournalStatus.maxGaps)")
        var gaps: [ConnectionState.Gap] = []
        while try select.step() {
            guard let from = select.double(0), let reason = select.string(2) else { continue }
            gaps.append(ConnectionState.Gap(from: from, to: select.double(1), reason: reason))
        }
        return gaps.reversed()
    }

    /// Per-minute counts from `firstMinute` on, for the busiest `maxNames` names over that span
    /// (the Rates pane's 24 h view; bounded: names × minutes of the span).
    public func rates(fromMinute firstMinute: Int, maxNames: Int = JournalRates.maxNames) throws(JournalError) -> JournalRates {
        let select = try database.prepare("""
            SELECT name, minute, received, succeeded, retried, failed FROM rates
            WHERE minute >= ?1 AND name IN (
                SELECT name FROM rates WHERE minute >= ?1 GROUP BY name
                ORDER BY sum(received + succeeded + retried + failed) DESC LIMIT ?2)
            """)
        select.bind(1, firstMinute)
        select.bind(2, maxNames)
        var cells: [RateCell] = []
        while try select.step() {
            guard let name = select.string(0), let minute = select.int(1) else { continue }
            cells.append(RateCell(
                key: RateCell.Key(name: name, minute: minute), received: select.int(2) ?? 0, succeeded: select.int(3) ?? 0,
                retried: select.int(4) ?? 0, failed: select.int(5) ?? 0))
        }
        return JournalRates(cells)
    }

    /// The oldest time any record is kept for (a task's first sighting, a rate minute, a session's start).
    public func oldestRecord() throws(JournalError) -> Double? {
        let candidates = [
            try database.scalar("SELECT min(first_seen) FROM tasks"),
            try database.scalar("SELECT min(minute) * 60.0 FROM rates"),
            try database.scalar("SELECT min(started) FROM sessions"),
        ]
        return candidates.compactMap { $0 }.min()
    }

    /// `PRAGMA integrity_check`'s answer: "ok" for a sound database, else the first problems found.
    public func integrityCheck() throws(JournalError) -> String {
        let statement = try database.prepare("PRAGMA integrity_check")
        var lines: [String] = []
        while try statement.step(), lines.count < 10 { lines.append(statement.string(0) ?? "") }
        return lines.joined(separator: "\n")
    }

    /// The newest `written_at`: where a follower continues from.
    public func newestWrite() throws(JournalError) -> Double? {
        try database.scalar("SELECT max(written_at) FROM tasks")
    }
}
