import Foundation

/// The journal's bounds: records older than `retainSeconds` go, then, while the database is larger than
/// `maxBytes`, the oldest tenth of what is left (oldest first, every table alike).
///
/// Why both: a week of a normal deployment is small, but a storm can write gigabytes in hours; the size
/// bound keeps the disk safe and the age bound keeps queries meaningful. Freed pages go back to the file
/// system (`incremental_vacuum`) and the WAL is truncated, so `du` shows the bound.
public struct JournalRetention: Sendable, Equatable {
    public static let defaultRetainSeconds = 7 * 86_400.0
    public static let defaultMaxBytes = 1 << 30

    public var retainSeconds: Double
    public var maxBytes: Int

    public init(retainSeconds: Double = JournalRetention.defaultRetainSeconds, maxBytes: Int = JournalRetention.defaultMaxBytes) {
        self.retainSeconds = retainSeconds
        self.maxBytes = maxBytes
    }

    /// What one pass removed.
    struct Outcome: Equatable {
        var tasksDeleted = 0
        var sizeCuts = 0
    }

    /// Deletes by age, then by size; returns what it removed.
    func apply(to database: SQLiteDatabase, now: Double) throws(JournalError) -> Outcome {
        var outcome = Outcome()
        outcome.tasksDeleted += try deleteBefore(now - retainSeconds, in: database)
        var cuts = 0
        while try usedBytes(database) > maxBytes, cuts < 20 {
            guard let oldest = try database.scalar("SELECT min(last_update) FROM tasks"),
                  let newest = try database.scalar("SELECT max(last_update) FROM tasks") else {
                // No tasks left to cut: rates, actions and gaps go by the oldest minute instead.
                guard let first = try database.scalar("SELECT min(minute) FROM rates") else { break }
                outcome.tasksDeleted += try deleteBefore(first * 60 + 3_600, in: database)
                cuts += 1
                continue
            }
            let cutoff = oldest + max(1, (newest - oldest) / 10)
            outcome.tasksDeleted += try deleteBefore(cutoff, in: database)
            cuts += 1
        }
        outcome.sizeCuts = cuts
        if outcome.tasksDeleted > 0 || cuts > 0 {
            try database.execute("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);")
        }
        return outcome
    }

    /// Bytes the database's live pages take (the file minus its free pages).
    func usedBytes(_ database: SQLiteDatabase) throws(JournalError) -> Int {
        let pages = try database.scalar("PRAGMA page_count") ?? 0
        let free = try database.scalar("PRAGMA freelist_count") ?? 0
        let size = try database.scalar("PRAGMA page_size") ?? 4_096
        return Int((pages - free) * size)
    }

    /// Deletes every record older than `cutoff` (epoch seconds) in one transaction; returns tasks deleted.
    func deleteBefore(_ cutoff: Double, in database: SQLiteDatabase) throws(JournalError) -> Int {
        let minute = Int((cutoff / 60).rounded(.down))
        try database.execute("BEGIN IMMEDIATE")
        do {
            try database.execute("DELETE FROM attempts WHERE task_id IN (SELECT id FROM tasks WHERE last_update < \(cutoff))")
            try database.execute("DELETE FROM tasks WHERE last_update < \(cutoff)")
            let deleted = database.changes
            try database.execute("""
                DELETE FROM rates WHERE minute < \(minute);
                DELETE FROM exception_groups WHERE last_seen < \(cutoff);
                DELETE FROM worker_periods WHERE last_seen < \(cutoff);
                DELETE FROM actions WHERE at < \(cutoff);
                DELETE FROM gaps WHERE to_time IS NOT NULL AND to_time < \(cutoff);
                DELETE FROM sessions WHERE ended IS NOT NULL AND ended < \(cutoff);
                COMMIT;
                """)
            return deleted
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }
}
