import Foundation
import Monitor

/// Where a journal thread leaves history and status for the owner's next `take()`, under a lock.
///
/// Bound: the tasks wait only until the next frame takes them (at most one read's worth:
/// `JournalConfiguration.loadLimit`); a status replaces the previous one.
final class JournalMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [JournaledTask] = []
    private var status: JournalStatus
    private var statusChanged = true

    init(status: JournalStatus) {
        self.status = status
    }

    func post(tasks found: [JournaledTask]) {
        guard !found.isEmpty else { return }
        lock.withLock {
            tasks.append(contentsOf: found)
            status.tasksLoaded += found.count
            statusChanged = true
        }
    }

    /// Changes the status (and marks it for delivery when it changed).
    func update(_ change: (inout JournalStatus) -> Void) {
        lock.withLock {
            let before = status
            change(&status)
            if status != before { statusChanged = true }
        }
    }

    var currentStatus: JournalStatus { lock.withLock { status } }

    func take() -> JournalDelivery {
        lock.withLock {
            let delivery = JournalDelivery(tasks: tasks, status: statusChanged ? status : nil)
            tasks = []
            statusChanged = false
            return delivery
        }
    }

    /// Reads the recent history from `reader` into the mailbox: tasks, gaps and the oldest record.
    func load(from reader: JournalReader, configuration: JournalConfiguration, now: Double) throws(JournalError) {
        let found = try reader.tasks(
            since: now - configuration.loadWindowSeconds, limit: configuration.loadLimit, maxAttempts: configuration.maxAttempts)
        let gaps = try reader.gaps()
        let oldest = try reader.oldestRecord()
        post(tasks: found)
        update {
            $0.setGaps(gaps)
            $0.oldestRecord = oldest
        }
    }
}
