import Actions
import Foundation
import Monitor

/// A fake `AuditTrail` that keeps records in memory, or refuses them (`failing`, after `failAfter`
/// records), for tests of the write-ahead rule: what was recorded, in what order, and what happens when nothing can be.
/// Thread-safe (a paced requeue appends from its own thread). `onAppend` lets a test observe the moment
/// of each append (for example: what had been sent by then).
public final class RecordingAuditTrail: AuditTrail, @unchecked Sendable {
    public let location: String
    private let failing: String?
    private let failAfter: Int
    private let lock = NSLock()
    private var stored: [AuditRecord] = []
    private let onAppend: @Sendable (AuditRecord) -> Void

    /// - Parameters:
    ///   - failing: when set, appends throw with this reason once `failAfter` records were kept.
    public init(
        location: String = "memory", failing: String? = nil, failAfter: Int = 0,
        onAppend: @escaping @Sendable (AuditRecord) -> Void = { _ in }
    ) {
        self.location = location
        self.failing = failing
        self.failAfter = failAfter
        self.onAppend = onAppend
    }

    public var records: [AuditRecord] { lock.withLock { stored } }

    public func append(_ record: AuditRecord) throws(AuditTrailError) {
        if let failing, records.count >= failAfter { throw AuditTrailError(location: location, reason: failing) }
        onAppend(record)
        lock.withLock { stored.append(record) }
    }

    public func requeuedCopies(of ids: Set<String>) -> [String: String] {
        var copies: [String: String] = [:]
        for record in records where record.action == "requeue" && record.phase != .intent {
            for link in record.newIDs where ids.contains(link.original) { copies[link.original] = link.copy }
        }
        return copies
    }
}
