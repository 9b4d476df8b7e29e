import Foundation
import Testing
@testable import Journal
import Monitor

/// The reader builds each row's values without Strings where it can (ids packed from bytes, states
/// matched as bytes, a worker or exception equal to the previous row's reused): every field must still
/// come back exactly, on both paths (the start-up load's scans and a follower's join).
@Suite struct JournalReaderTests {
    /// Tasks whose attempts change worker, exception and outcome from row to row (and back, and to nil),
    /// with a custom id among the UUIDs and every state as an outcome.
    static func tasks(count: Int, from first: Int) -> [JournaledTask] {
        let frames = "Traceback (most recent call last):\n" + String(repeating: "  File \"app.py\", line 9, in run\n    work()\n", count: 3)
        return (first..<first + count).map { index in
            let exceptions: [String?] = ["KeyError('a')", "KeyError('a')", "ValueError('task \(index)')", nil, "KeyError('a')"]
            let workers: [String?] = ["w1@host-with-a-long-name", nil, "w1@host-with-a-long-name", "w2", "w2"]
            let attempts = (1...5).map { number in
                var attempt = JournaledAttempt(
                    number: number, worker: workers[number - 1], received: Double(index * 10 + number), started: nil,
                    ended: Double(index * 10 + number) + 0.5, runtime: number == 2 ? nil : 0.5,
                    outcome: TaskState.allCases[(index + number) % TaskState.allCases.count])
                attempt.outcome = number == 4 ? nil : attempt.outcome
                attempt.exception = exceptions[number - 1]
                attempt.traceback = number == 3 ? frames + "ValueError: task \(index)\n" : number == 5 ? "KeyError: 'a'\n" : nil
                attempt.eta = number > 1 ? Double(index) : nil
                attempt.retryAt = number < 5 ? Double(index) + 1 : nil
                attempt.sent = number == 1 ? Double(index) - 1 : nil
                attempt.beginningUnseen = number == 1
                return attempt
            }
            let id = index == first + 1 ? "custom-id-\(index)" : String(format: "%08x-0000-4000-8000-%012x", index, index)
            return JournaledTask(
                id: id, name: "app.task_\(index % 3)", state: TaskState.allCases[index % TaskState.allCases.count],
                retries: 4, args: "[\(index)]", kwargs: "{}", queue: "celery", worker: "w2", firstSeen: Double(index),
                lastUpdate: 1_000 + Double(index), attempts: attempts)
        }
    }

    @Test func everyFieldComesBackOnTheLoadAndTheFollowersPath() throws {
        let directory = NSTemporaryDirectory() + "retrytop-journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let store = try JournalStore(path: path)
        let older = Self.tasks(count: 12, from: 1)
        let newer = Self.tasks(count: 2, from: 13)
        var batch = JournalBatch()
        batch.tasks = older
        try store.write(batch, now: 100)
        batch.tasks = newer
        try store.write(batch, now: 200)

        let reader = try JournalReader(path: path)
        // The whole table: the attempts come from the two scans.
        let loaded = try reader.tasks(since: 0, limit: 100, maxAttempts: 32)
        #expect(loaded == (older + newer).reversed())
        // A follower's few newest writes: the join.
        let followed = try reader.tasks(since: 0, writtenAfter: 150, limit: 100, maxAttempts: 32)
        #expect(followed == newer.reversed())
    }
}
