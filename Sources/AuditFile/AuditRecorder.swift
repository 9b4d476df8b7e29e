import Actions
import Foundation
import Monitor

/// The write-ahead rule, in one place for every sender of control messages (`ActionExecutor`,
/// `WorkerControl`): a record that must be on disk before its message is sent, and one written after.
///
/// Invariant: `writeAhead` returns only once the record is durable, and throws `.auditUnwritable`
/// (so the caller sends nothing) when it cannot be written. A failure of a record written after the
/// fact cannot undo what was sent: it is kept in `errors` for the caller to report. Thread-safe (a
/// paced requeue records from its own thread). Bound: `errors` keeps the last `maxErrors`.
public final class AuditRecorder: @unchecked Sendable {
    static let maxErrors = 100

    /// Where records go; nil records nothing (tests and read-only inspection).
    public let trail: (any AuditTrail)?
    private let lock = NSLock()
    private var failures: [String] = []

    public init(trail: (any AuditTrail)?) {
        self.trail = trail
    }

    /// Record-after failures so far (the actions themselves went ahead).
    public var errors: [String] { lock.withLock { failures } }

    /// Writes a record that must be on disk before anything is sent; refuses the action otherwise.
    public func writeAhead(_ record: AuditRecord) throws(ActionError) {
        guard let trail else { return }
        do {
            try trail.append(record)
        } catch {
            throw .auditUnwritable(error)
        }
    }

    /// Writes a record of what already happened; a failure is kept in `errors`.
    public func recordAfter(_ record: AuditRecord) {
        guard let trail else { return }
        do {
            try trail.append(record)
        } catch {
            lock.withLock {
                failures.append("\(error)")
                if failures.count > Self.maxErrors { failures.removeFirst(failures.count - Self.maxErrors) }
            }
        }
    }

    /// A new record id.
    public static func recordID() -> String { UUID().uuidString.lowercased() }
}
