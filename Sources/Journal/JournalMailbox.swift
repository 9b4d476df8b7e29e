import Foundation
import Monitor

/// Where a journal thread leaves history and status for the owner's next `take()`, under a lock.
///
/// Bound: the tasks wait only until the next frame takes them (at most one read's worth:
/// `JournalConfiguration.loadLimit`); a status replaces the previous one, and so do rates.
final class JournalMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [JournaledTask] = []
    private var status: JournalStatus
    private var statusChanged = true
    private var rates: JournalRates?

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
            let delivery = JournalDelivery(tasks: tasks, status: statusChanged ? status : nil, rates: rates)
            tasks = []
            statusChanged = false
            rates = nil
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
        try loadRates(from: reader, now: now)
    }

    /// Reads the last 24 h of per-minute counts for the owner's next `take()` (the Rates pane's long view).
    func loadRates(from reader: JournalReader, now: Double) throws(JournalError) {
        let read = try reader.rates(fromMinute: JournalRates.firstMinute(endingAt: now))
        lock.withLock { rates = read }
    }
}
