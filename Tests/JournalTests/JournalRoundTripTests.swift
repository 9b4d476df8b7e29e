import Foundation
import Testing
@testable import Journal
import Monitor
import TestSupport

/// The journal keeps what the fold knew: a storm of retries folded, journaled, read back and merged
/// into a fresh model gives every attempt field again (issue 14, "Reading").
@Suite struct JournalRoundTripTests {
    /// A fresh directory under the temporary directory, removed by the caller.
    static func scratch() -> String {
        let path = NSTemporaryDirectory() + "retrytop-journal-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A task that retried twice then failed, and one that succeeded at once (not worth journaling).
    static func stormState() -> MonitorState {
        var state = MonitorState()
        state.startJournalFeed()
        var w = EventBuilder()
        let id = "a1b2c3d4-0000-4000-8000-000000000001"
        var events: [CeleryEvent] = [w.received(id), w.started(id), w.retried(id)]
        let firstETA = w.time + 5
        events.append(w.make(.taskSent, id) { $0.retries = 1; $0.eta = firstETA; $0.name = "app.flaky" })
        events += [w.received(id, retries: 1, eta: firstETA), w.started(id, after: 5), w.retried(id)]
        let secondETA = w.time + 10
        events.append(w.make(.taskSent, id) { $0.retries = 2; $0.eta = secondETA; $0.name = "app.flaky" })
        events += [w.received(id, retries: 2, eta: secondETA), w.started(id, after: 10), w.failed(id)]
        let quick = "a1b2c3d4-0000-4000-8000-000000000002"
        events += [w.received(quick, name: "app.quick"), w.started(quick), w.succeeded(quick), w.heartbeat()]
        state.apply(events)
        return state
    }

    @Test func foldedStormComesBackWithEveryAttemptField() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var state = Self.stormState()
        let taken = state.takeJournalBatch()
        let batch = try #require(taken)
        #expect(batch.tasks.map(\.id) == ["a1b2c3d4-0000-4000-8000-000000000001"], "only the task that retried and failed is kept")
        #expect(batch.tasks[0].attempts.allSatisfy { $0.traceback != nil }, "fresh tracebacks travel with the batch")
        #expect(state.takeJournalBatch() == nil, "the feed is empty after a take")

        let path = directory + "/journal.sqlite"
        let store = try JournalStore(path: path)
        try store.beginSession(now: 1_795_696_100, pid: 1)
        try store.write(batch, now: 1_795_696_100)

        let reader = try JournalReader(path: path)
        let loaded = try reader.tasks(since: 0, limit: 100, maxAttempts: 32)
        #expect(loaded == batch.tasks)
        var later = MonitorState()
        later.mergeJournal(loaded)
        let original = try #require(state.tasks["a1b2c3d4-0000-4000-8000-000000000001"])
        let restored = try #require(later.tasks["a1b2c3d4-0000-4000-8000-000000000001"])
        #expect(restored.state == .failure)
        #expect(restored.sources.contains(.journal))
        #expect(restored.attempts.count == 3)
        for (a, b) in zip(original.attempts, restored.attempts) {
            #expect(a.number == b.number && a.worker == b.worker && a.received == b.received && a.started == b.started)
            #expect(a.ended == b.ended && a.runtime == b.runtime && a.outcome == b.outcome && a.exception == b.exception)
            #expect(a.eta == b.eta && a.retryAt == b.retryAt && a.backoffWait == b.backoffWait)
            #expect(b.fromJournal)
            #expect(later.traceback(taskID: restored.id, attempt: b.number) == state.traceback(taskID: original.id, attempt: a.number))
        }
        #expect(restored.attempts[0].backoffWait != nil)
        let rateRows = try reader.database.scalar("SELECT sum(retried) FROM rates WHERE name = 'app.flaky'")
        #expect(rateRows == 2)
    }

    @Test func liveEventsWinAndTheJournalAddsOnlyMissingAttempts() throws {
        var live = MonitorState()
        var w = EventBuilder()
        let id = "a1b2c3d4-0000-4000-8000-000000000003"
        live.apply([w.received(id, retries: 2), w.started(id)])
        let journaled = JournaledTask(
            id: id, name: "app.flaky", state: .failure, retries: 2, firstSeen: 1_795_695_000, lastUpdate: 1_795_695_900,
            attempts: [
                JournaledAttempt(number: 1, worker: "w0@vm", ended: 1_795_695_010, outcome: .retry, exception: "E('1')", retryAt: 1_795_695_020),
                JournaledAttempt(number: 2, worker: "w0@vm", ended: 1_795_695_030, outcome: .retry, exception: "E('2')"),
                JournaledAttempt(number: 3, worker: "w0@vm", ended: 1_795_695_900, outcome: .failure, exception: "stale"),
            ])
        live.mergeJournal([journaled])
        let task = try #require(live.tasks[id])
        #expect(task.attempts.map(\.number) == [1, 2, 3])
        #expect(task.attempts.map(\.fromJournal) == [true, true, false])
        #expect(task.attempts[2].outcome == nil, "the running attempt seen live is not ended by the journal")
        #expect(task.state == .started)
        #expect(task.attempts[0].backoffWait == 10)
    }

    @Test func backfillAfterTheJournalKeepsTheHistory() throws {
        var state = MonitorState()
        let id = "a1b2c3d4-0000-4000-8000-000000000004"
        state.mergeJournal([JournaledTask(
            id: id, name: "app.flaky", state: .retry, retries: 1, firstSeen: 10, lastUpdate: 20,
            attempts: [JournaledAttempt(number: 1, ended: 15, outcome: .retry, exception: "E('1')", retryAt: 60)])])
        state.mergeBackfill([BackfilledTask(id: id, source: .unacked, name: "app.flaky", retries: 1, eta: 60, readAt: 30)])
        let task = try #require(state.tasks[id])
        #expect(task.attempts.map(\.number) == [1, 2])
        #expect(task.attempts[0].fromJournal && task.attempts[0].outcome == .retry)
        #expect(task.state == .retry)
    }

    @Test func aRestartedWriterRecordsTheDowntimeAsAGap() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        do {
            let first = try JournalStore(path: path)
            #expect(try first.beginSession(now: 1_000, pid: 1) == nil, "a new journal has no gap")
            try first.write(JournalBatch(), now: 1_010)  // alive at 1010, then killed: no end
        }
        let second = try JournalStore(path: path)
        let crash = try #require(try second.beginSession(now: 1_100, pid: 2))
        #expect(crash.from == 1_010 && crash.to == 1_100 && crash.reason.contains("crash"))
        try second.endSession(now: 1_200)
        let third = try JournalStore(path: path)
        let idle = try #require(try third.beginSession(now: 1_500, pid: 3))
        #expect(idle.from == 1_200 && idle.to == 1_500 && idle.reason == "not recording")
        #expect(try JournalReader(path: path).gaps().count == 2)
    }

    @Test func oneWriterPerJournal() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let first = try #require(try JournalLock.acquire(journalPath: path))
        // flock is per open file description: a second one (as another process would have) cannot take it.
        #expect(JournalLock.isHeld(journalPath: path))
        #expect(try JournalLock.acquire(journalPath: path) == nil)
        first.release()
        #expect(JournalLock.isHeld(journalPath: path) == false)
        #expect(try JournalLock.acquire(journalPath: path) != nil)
    }

    @Test func createdDirectoryIs0700AndJournal0600() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/state/retrytop/journal.sqlite"
        _ = try JournalStore(path: path)
        var status = stat()
        #expect(stat(directory + "/state/retrytop", &status) == 0)
        #expect(status.st_mode & 0o777 == 0o700)
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
    }

    @Test func unwritablePathIsAClearErrorAndNeverAStop() throws {
        let writer = JournalWriter(
            configuration: JournalConfiguration(path: "/proc/retrytop-no/journal.sqlite"),
            lock: try #require(try JournalLock.acquire(journalPath: Self.scratch() + "/x.sqlite")))
        writer.start()
        var status = writer.status
        for _ in 0..<100 where status.error == nil {
            usleep(20_000)
            status = writer.status
        }
        writer.submit(JournalFacts())
        writer.stop()
        #expect(status.mode == .failed)
        #expect(status.error?.contains("/proc/retrytop-no") == true)
    }

    @Test func auditLinesAreJournaledOnce() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/audit.log"
        let line = #"{"time":"2026-12-02T03:00:00Z","user":"ops","host":"h","record":"r1","phase":"intent","action":"revoke","broker":"redis://127.0.0.1:1/0","task_ids":["a","b"]}"#
        try (line + "\n" + line.replacingOccurrences(of: "r1", with: "r2") + "\n{broken\n").write(toFile: log, atomically: false, encoding: .utf8)
        let store = try JournalStore(path: directory + "/journal.sqlite")
        var tail = AuditLogTail(path: log)
        let read = tail.read(after: nil)
        let chunk = try #require(read)
        #expect(chunk.lines.map(\.record) == ["r1", "r2"])
        #expect(chunk.lines[0].taskIDs == "a,b")
        #expect(tail.skipped == 1)
        try store.write(JournalBatch(), audit: chunk, now: 1)
        #expect(tail.read(after: try store.metaValue(AuditLogTail.positionKey)) == nil)
        #expect(try store.database.scalar("SELECT count(*) FROM actions") == 2)
    }
}

/// A dashboard started while a recorder writes follows the journal: new rows arrive without writing.
@Suite struct JournalFollowerTests {
    @Test(.timeLimit(.minutes(1))) func followerDeliversWhatTheWriterCommitsLater() async throws {
        let directory = JournalRoundTripTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let store = try JournalStore(path: path)
        try store.beginSession(now: Date().timeIntervalSince1970, pid: 1)
        let now = Date().timeIntervalSince1970
        func failed(_ id: String) -> JournalBatch {
            var batch = JournalBatch()
            batch.tasks = [JournaledTask(
                id: id, name: "app.flaky", state: .failure, firstSeen: now, lastUpdate: now,
                attempts: [JournaledAttempt(number: 1, ended: now, outcome: .failure, exception: "E('x')")])]
            return batch
        }
        try store.write(failed("before"), now: now)
        let follower = JournalFollower(configuration: JournalConfiguration(path: path, followInterval: 0.1))
        follower.start()
        defer { follower.stop() }
        var seen: Set<String> = []
        var status: JournalStatus?
        let deadline = ContinuousClock.now + .seconds(20)
        var wroteLater = false
        while ContinuousClock.now < deadline, !seen.contains("later") {
            let delivery = follower.take()
            seen.formUnion(delivery.tasks.map(\.id))
            if let fresh = delivery.status { status = fresh }
            if seen.contains("before"), !wroteLater {
                try store.write(failed("later"), now: Date().timeIntervalSince1970 + 1)
                wroteLater = true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(seen == ["before", "later"])
        #expect(status?.mode == .following)
        #expect(status?.path == path)
    }
}
