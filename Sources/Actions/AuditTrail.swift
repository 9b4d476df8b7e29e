import Monitor

/// The port every action is recorded through before it is sent: the audit log file today
/// (`AuditLog` in AuditFile), a journal later, a fake in tests (`RecordingAuditTrail` in TestSupport).
///
/// Why a port: the dashboard's keys and `retrytop revoke|requeue` act through one `ActionExecutor`,
/// so they share one writer and one rule: write ahead. A record is on disk (written and flushed) before
/// the message it describes is sent, so a process killed mid-run leaves a record of every message that
/// may have gone out; when the record cannot be written, nothing is sent. A later SQLite journal carries
/// the same `AuditRecord`s by implementing this protocol (or sits beside the file behind one that fans out).
/// Implementations are thread-safe: a paced requeue appends from its own thread.
public protocol AuditTrail: AnyObject, Sendable {
    /// Where the records go, as the user should see it (a path).
    var location: String { get }

    /// Appends `record` durably; returns only once it would survive a crash of this process.
    func append(_ record: AuditRecord) throws(AuditTrailError)

    /// The copies earlier requeues may have sent of `ids` (original id → newest copy's id), from `send`
    /// and `result` records (an `intent` only plans copies): what "repair once" skips by default.
    func requeuedCopies(of ids: Set<String>) -> [String: String]
}
