import Foundation
import Testing
@testable import Journal
import Monitor

/// The journal's bounds, with an injected "now": age first, then size, oldest first.
@Suite struct JournalRetentionTests {
    static let day = 86_400.0

    func task(_ number: Int, at time: Double, tracebackBytes: Int = 0) -> JournaledTask {
        JournaledTask(
            id: "task-\(number)", name: "app.flaky", state: .failure, retries: 1, firstSeen: time, lastUpdate: time,
            attempts: [JournaledAttempt(
                number: 1, ended: time, outcome: .failure, exception: "E('x')",
                traceback: tracebackBytes > 0 ? String(repeating: "t", count: tracebackBytes) + "\(number)" : nil)])
    }

    @Test func recordsOlderThanRetainGoAndTheRestStays() throws {
        let directory = NSTemporaryDirectory() + "retrytop-retention-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try JournalStore(path: directory + "/journal.sqlite")
        let now = 1_800_000_000.0
        var batch = JournalBatch()
        batch.tasks = [task(1, at: now - 8 * Self.day), task(2, at: now - 6 * Self.day), task(3, at: now - 60)]
        batch.rateCells = [
            RateCell(key: .init(name: "app.flaky", minute: Int((now - 8 * Self.day) / 60)), failed: 1),
            RateCell(key: .init(name: "app.flaky", minute: Int(now / 60)), failed: 1),
        ]
        try store.write(batch, now: now)
        let outcome = try JournalRetention(retainSeconds: 7 * Self.day).apply(to: store.database, now: now)
        #expect(outcome.tasksDeleted == 1)
        let reader = try JournalReader(path: directory + "/journal.sqlite")
        #expect(try reader.tasks(since: 0, limit: 10, maxAttempts: 32).map(\.id).sorted() == ["task-2", "task-3"])
        #expect(try store.database.scalar("SELECT count(*) FROM rates") == 1)
        #expect(try store.database.scalar("SELECT count(*) FROM attempts") == 2)
    }

    @Test func sizeBoundDeletesOldestFirstUntilUnder() throws {
        let directory = NSTemporaryDirectory() + "retrytop-retention-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let store = try JournalStore(path: path)
        let now = 1_800_000_000.0
        var batch = JournalBatch()
        batch.tasks = (0..<400).map { task($0, at: now - Double(400 - $0), tracebackBytes: 4_000) }
        try store.write(batch, now: now)
        let retention = JournalRetention(retainSeconds: 7 * Self.day, maxBytes: 512 * 1_024)
        #expect(try retention.usedBytes(store.database) > retention.maxBytes)
        let outcome = try retention.apply(to: store.database, now: now)
        #expect(outcome.sizeCuts > 0)
        #expect(try retention.usedBytes(store.database) <= retention.maxBytes)
        let kept = try JournalReader(path: path).tasks(since: 0, limit: 1_000, maxAttempts: 32).map(\.id)
        #expect(!kept.isEmpty)
        #expect(kept.contains("task-399"), "the newest stays")
        #expect(!kept.contains("task-0"), "the oldest went first")
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(Int(status.st_size) <= retention.maxBytes + 64 * 1_024, "freed pages go back to the file system")
    }
}
