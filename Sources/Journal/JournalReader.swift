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

    public init(path: String) throws(JournalError) {
        guard FileManager.default.fileExists(atPath: path) else { throw JournalError(path: path, message: "no such journal") }
        self.path = path
        database = try SQLiteDatabase(path: path, readOnly: true)
    }

    /// Tasks whose last update is at or after `since`, or (with `writtenAfter`) written after that time.
    public func tasks(since: Double, writtenAfter: Double? = nil, limit: Int, maxAttempts: Int) throws(JournalError) -> [JournaledTask] {
        let column = writtenAfter == nil ? "last_update" : "written_at"
        let bound = writtenAfter ?? since
        let select = try database.prepare("""
            SELECT id, name, state, retries, args, kwargs, queue, worker, first_seen, last_update, eta, revoked_at,
                revoke_terminated, requeued_as, requeue_of FROM tasks WHERE \(column) >= ?1 ORDER BY last_update DESC LIMIT ?2
            """)
        select.bind(1, bound)
        select.bind(2, limit)
        var found: [JournaledTask] = []
        var index: [String: Int] = [:]
        while try select.step() {
            guard let id = select.string(0), let stateText = select.string(2), let state = TaskState(rawValue: stateText),
                  let firstSeen = select.double(8), let lastUpdate = select.double(9) else { continue }
            index[id] = found.count
            found.append(JournaledTask(
                id: id, name: select.string(1), state: state, retries: select.int(3) ?? 0, args: select.string(4),
                kwargs: select.string(5), queue: select.string(6), worker: select.string(7), firstSeen: firstSeen,
                lastUpdate: lastUpdate, eta: select.double(10), revokedAt: select.double(11),
                revokeTerminated: (select.int(12) ?? 0) != 0, requeuedAs: select.string(13), requeueOf: select.string(14)))
        }
        guard !found.isEmpty else { return [] }
        let attempts = try database.prepare("""
            SELECT a.task_id, a.number, a.worker, a.received, a.started, a.ended, a.runtime, a.outcome, a.exception,
                a.traceback, a.eta, a.retry_at, a.sent, a.beginning_unseen
            FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.\(column) >= ?1 ORDER BY a.task_id, a.number
            """)
        attempts.bind(1, bound)
        while try attempts.step() {
            guard let id = attempts.string(0), let slot = index[id], let number = attempts.int(1) else { continue }
            found[slot].attempts.append(JournaledAttempt(
                number: number, worker: attempts.string(2), received: attempts.double(3), started: attempts.double(4),
                ended: attempts.double(5), runtime: attempts.double(6), outcome: attempts.string(7).flatMap(TaskState.init(rawValue:)),
                exception: attempts.string(8), traceback: attempts.string(9), eta: attempts.double(10),
                retryAt: attempts.double(11), sent: attempts.double(12), beginningUnseen: (attempts.int(13) ?? 0) != 0))
        }
        if maxAttempts >= 2 {
            for slot in found.indices where found[slot].attempts.count > maxAttempts {
                let attempts = found[slot].attempts
                found[slot].attempts = [attempts[0]] + attempts.suffix(maxAttempts - 1)
            }
        }
        return found
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
