import Foundation
import Testing
@testable import Journal
import Monitor

/// Tracebacks in the journal: the shared frames stored once, the tails per attempt, the text given back
/// exactly, the newest first within a byte budget, a version 1 journal migrated or read as it is.
@Suite struct JournalTracebackStorageTests {
    static let frames = """
        Traceback (most recent call last):
          File "/usr/local/lib/python3.11/site-packages/celery/app/trace.py", line 477, in trace_task
            R = retval = fun(*args, **kwargs)
          File "/app/tasks.py", line 42, in charge
            response = client.post(url, json=payload)

        """
    static func traceback(_ detail: Int) -> String {
        frames.dropLast() + "\nrequests.exceptions.ConnectionError: upstream \(detail) refused\n"
    }

    static func task(_ index: Int, lastUpdate: Double, traceback: String?) -> JournaledTask {
        var attempt = JournaledAttempt(number: 1, worker: "w1@host", received: lastUpdate - 2, started: lastUpdate - 1, ended: lastUpdate, runtime: 1)
        attempt.outcome = .failure
        attempt.exception = "ConnectionError('upstream \(index) refused')"
        attempt.traceback = traceback
        return JournaledTask(
            id: String(format: "%08x-0000-4000-8000-000000000000", index), name: "app.charge", state: .failure, retries: 0,
            args: "[\(index)]", kwargs: "{}", queue: "celery", worker: "w1@host", firstSeen: lastUpdate - 2,
            lastUpdate: lastUpdate, attempts: [attempt])
    }

    @Test func aTracebackSplitsAfterItsFirstStackAndJoinsBackExactly() {
        let text = Self.traceback(7)
        let parts = TracebackParts(splitting: text)
        #expect(parts.frames?.hasPrefix("Traceback (most recent call last):\n  File") == true)
        #expect(parts.frames?.hasSuffix("json=payload)\n") == true, "the frames end with the stack's last indented line")
        #expect(parts.tail == "requests.exceptions.ConnectionError: upstream 7 refused\n")
        #expect(parts.text == text)
        #expect(TracebackParts(splitting: "not a traceback\n") == TracebackParts(frames: nil, tail: "not a traceback\n"))
        let short = "Traceback (most recent call last):\n  File \"a.py\"\nE\n"
        #expect(TracebackParts(splitting: short) == TracebackParts(frames: nil, tail: short), "frames too short to share stay in the tail")
        let unfinished = "Traceback (most recent call last):\n  File \"/app/tasks.py\", line 42, in charge without a newline"
        #expect(TracebackParts(splitting: unfinished).text == unfinished)
    }

    @Test func attemptsThatFailedOnTheSameLinesShareOneFramesRow() throws {
        let directory = JournalRoundTripTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let store = try JournalStore(path: path)
        var batch = JournalBatch()
        batch.tasks = (0..<50).map { Self.task($0, lastUpdate: 1_795_696_000 + Double($0), traceback: Self.traceback($0)) }
        try store.write(batch, now: 1_795_696_100)
        // A later write of the same task without its traceback (the fold's store dropped it) keeps it.
        var later = JournalBatch()
        var without = Self.task(3, lastUpdate: 1_795_696_200, traceback: nil)
        without.attempts[0].traceback = nil
        later.tasks = [without]
        try store.write(later, now: 1_795_696_200)

        #expect(try store.database.scalar("SELECT count(*) FROM traceback_frames") == 1)
        let reader = try JournalReader(path: path)
        let loaded = try reader.tasks(since: 0, limit: 100, maxAttempts: 32)
        #expect(loaded.count == 50)
        for task in loaded {
            let index = Int(task.id.prefix(8), radix: 16) ?? -1
            #expect(task.attempts.first?.traceback == Self.traceback(index), "task \(index)")
        }
        let viewed = try store.database.prepare("SELECT traceback FROM attempt_history WHERE task_id = '\(Self.task(9, lastUpdate: 0, traceback: nil).id)'")
        #expect(try viewed.step())
        #expect(viewed.string(0) == Self.traceback(9), "the attempt_history view gives sqlite3 users the whole text")
    }

    @Test func tracebacksComeNewestFirstWithinTheBudget() throws {
        let directory = JournalRoundTripTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let store = try JournalStore(path: path)
        var batch = JournalBatch()
        batch.tasks = (0..<10).map { Self.task($0, lastUpdate: 1_795_696_000 + Double($0), traceback: Self.traceback($0)) }
        try store.write(batch, now: 1_795_696_100)
        let size = Self.traceback(9).utf8.count
        let loaded = try JournalReader(path: path).tasks(since: 0, limit: 100, maxAttempts: 32, tracebackBytes: 3 * size)
        let with = loaded.filter { $0.attempts.first?.traceback != nil }.map { Int($0.id.prefix(8), radix: 16) ?? -1 }
        #expect(with.sorted() == [7, 8, 9], "the three newest, then the budget is spent")
        #expect(loaded.allSatisfy { $0.attempts.first?.exception != nil }, "everything but the traceback comes for every task")
    }

    @Test func retentionDeletesFramesNoAttemptUses() throws {
        let directory = JournalRoundTripTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try JournalStore(path: directory + "/journal.sqlite")
        var old = JournalBatch()
        old.tasks = [Self.task(1, lastUpdate: 1_000, traceback: Self.traceback(1))]
        try store.write(old, now: 1_000)
        #expect(try store.database.scalar("SELECT count(*) FROM traceback_frames") == 1)
        try store.applyRetention(JournalRetention(retainSeconds: 3_600), now: 1_000_000)
        #expect(try store.database.scalar("SELECT count(*) FROM attempts") == 0)
        #expect(try store.database.scalar("SELECT count(*) FROM traceback_frames") == 0)
        // The cache was emptied with them: the same frames written again are stored again.
        var again = JournalBatch()
        again.tasks = [Self.task(2, lastUpdate: 1_000_000, traceback: Self.traceback(2))]
        try store.write(again, now: 1_000_000)
        let loaded = try JournalReader(path: directory + "/journal.sqlite").tasks(since: 0, limit: 10, maxAttempts: 32)
        #expect(loaded.first?.attempts.first?.traceback == Self.traceback(2))
    }

    /// A journal as version 1 wrote it: the traceback whole, in `attempts.traceback`.
    static func versionOneJournal(at path: String) throws {
        let database = try SQLiteDatabase(path: path, readOnly: false)
        try database.execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
            INSERT INTO meta VALUES ('schema_version', '1');
            CREATE TABLE tasks (
                id TEXT PRIMARY KEY, name TEXT, state TEXT NOT NULL, retries INTEGER NOT NULL DEFAULT 0,
                args TEXT, kwargs TEXT, queue TEXT, worker TEXT, first_seen REAL NOT NULL, last_update REAL NOT NULL,
                eta REAL, revoked_at REAL, revoke_terminated INTEGER NOT NULL DEFAULT 0,
                requeued_as TEXT, requeue_of TEXT, written_at REAL NOT NULL);
            CREATE TABLE attempts (
                task_id TEXT NOT NULL, number INTEGER NOT NULL, worker TEXT, received REAL, started REAL, ended REAL,
                runtime REAL, outcome TEXT, exception TEXT, traceback TEXT, eta REAL, retry_at REAL, backoff_wait REAL,
                sent REAL, beginning_unseen INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (task_id, number)) WITHOUT ROWID;
            INSERT INTO tasks (id, name, state, retries, first_seen, last_update, written_at)
                VALUES ('00000001-0000-4000-8000-000000000000', 'app.charge', 'FAILURE', 0, 100, 101, 101);
            INSERT INTO attempts (task_id, number, worker, outcome, exception, traceback)
                VALUES ('00000001-0000-4000-8000-000000000000', 1, 'w1@host', 'FAILURE', 'E()', '\(traceback(1))');
            """)
    }

    @Test func aVersionOneJournalIsReadAsItIsAndMigratedByItsWriter() throws {
        let directory = JournalRoundTripTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        try Self.versionOneJournal(at: path)
        let unmigrated = try JournalReader(path: path).tasks(since: 0, limit: 10, maxAttempts: 32)
        #expect(unmigrated.first?.attempts.first?.traceback == Self.traceback(1), "read-only: read in the old form")

        let store = try JournalStore(path: path)
        #expect(try store.database.scalar("SELECT value FROM meta WHERE key = 'schema_version'") == Double(JournalSchema.version))
        #expect(try store.database.scalar("SELECT count(*) FROM pragma_table_info('attempts') WHERE name = 'traceback'") == 0)
        let migrated = try JournalReader(path: path).tasks(since: 0, limit: 10, maxAttempts: 32)
        #expect(migrated == unmigrated, "the same history after the migration")
        var batch = JournalBatch()
        batch.tasks = [Self.task(1, lastUpdate: 200, traceback: nil)]
        try store.write(batch, now: 200)
        let written = try JournalReader(path: path).tasks(since: 0, limit: 10, maxAttempts: 32)
        #expect(written.first?.attempts.first?.traceback == Self.traceback(1), "a migrated traceback is kept by later writes")
    }

    @Test func attemptsWrittenOutOfOrderComeBackInNumberOrder() throws {
        let directory = JournalRoundTripTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let store = try JournalStore(path: path)
        var second = Self.task(1, lastUpdate: 1_000, traceback: Self.traceback(1))
        second.attempts[0].number = 2
        var batch = JournalBatch()
        batch.tasks = [second] + (2...10).map { Self.task($0, lastUpdate: 1_001, traceback: nil) }
        try store.write(batch, now: 1_001)
        var first = Self.task(1, lastUpdate: 1_002, traceback: nil)
        first.attempts[0].exception = "the first"
        batch.tasks = [first]
        try store.write(batch, now: 1_002)
        // Rows are now task 1 #2, tasks 2-10 #1, task 1 #1: read whole (the start-up path) and, written after
        // 1,001 (one task of ten), by the join (a follower's path).
        for writtenAfter in [nil, 1_001.5] {
            let loaded = try JournalReader(path: path).tasks(since: 0, writtenAfter: writtenAfter, limit: 10, maxAttempts: 32)
            let task = try #require(loaded.first { $0.id == Self.task(1, lastUpdate: 0, traceback: nil).id })
            #expect(task.attempts.map(\.number) == [1, 2])
            #expect(task.attempts.map(\.exception) == ["the first", "ConnectionError('upstream 1 refused')"])
            #expect(task.attempts.map { $0.traceback != nil } == [false, true])
        }
    }
}
