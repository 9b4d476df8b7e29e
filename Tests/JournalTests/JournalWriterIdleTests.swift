import Foundation
import Testing
@testable import Journal
import Monitor
import TestSupport

/// The writer at idle costs nothing (issue 14, item 2): it sleeps until new changes or its next duty,
/// commits at most every `commitInterval` when there are changes, and marks its session alive only
/// every `aliveInterval`.
@Suite struct JournalWriterIdleTests {
    /// The transactions a cadence asks for over a minute of an injected clock, looked at every 10 ms.
    static func transactions(hasChanges: Bool) -> [Double] {
        var cadence = JournalCadence(commitInterval: 0.25, aliveInterval: 5, retentionInterval: 60, now: 1_000)
        var times: [Double] = []
        for step in 1...6_000 {
            let now = 1_000 + Double(step) * 0.01
            if cadence.transactionDue(now: now, hasChanges: hasChanges) {
                times.append(now)
                cadence.transacted(at: now)
            }
        }
        return times
    }

    @Test func idleMarksAliveEveryFewSecondsAndChangesCommitAtMostEveryInterval() {
        let marks = Self.transactions(hasChanges: false)
        #expect((11...12).contains(marks.count), "one mark of the session alive every 5 s: \(marks)")
        #expect(zip(marks, marks.dropFirst()).allSatisfy { $1 - $0 >= 5 - 1e-9 })
        let commits = Self.transactions(hasChanges: true)
        #expect(commits.count <= 240 && commits.count >= 200, "\(commits.count) commits in 60 s")
        #expect(zip(commits, commits.dropFirst()).allSatisfy { $1 - $0 >= 0.25 - 1e-9 })
    }

    @Test func theWriterSleepsUntilItsNextDuty() {
        var cadence = JournalCadence(commitInterval: 0.25, aliveInterval: 5, retentionInterval: 60, now: 1_000)
        cadence.retained(at: 1_000)
        #expect(abs(cadence.delay(now: 1_001, hasChanges: false) - 4) < 1e-9, "idle: until the next mark of the session")
        #expect(cadence.delay(now: 1_000.1, hasChanges: true) < 0.16, "with changes: until the commit is due")
        cadence.transacted(at: 1_004)
        #expect(abs(cadence.delay(now: 1_004, hasChanges: false) - 5) < 1e-9)
        cadence.transacted(at: 1_058)
        #expect(abs(cadence.delay(now: 1_059, hasChanges: false) - 1) < 1e-9, "retention comes first")
        #expect(cadence.retentionDue(now: 1_060))
        #expect(cadence.delay(now: 1_100, hasChanges: false) == 0, "never negative")
    }

    /// A real writer on a real journal: idle for 1.5 s it neither wakes nor writes (the poller it replaced
    /// woke 75 times and marked the session alive 6 times in that time); a submit wakes it, and the
    /// changes are committed once the writer's clock passes the commit interval; a stop ends its sleep.
    @Test(.timeLimit(.minutes(1))) func anIdleWriterNeitherWakesNorWritesAndASubmitWakesIt() throws {
        let directory = JournalRoundTripTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let clock = ManualClock(at: 1_795_696_000)
        let configuration = JournalConfiguration(path: path, clock: { clock.now })
        let writer = JournalWriter(configuration: configuration, lock: try #require(try JournalLock.acquire(journalPath: path)))
        writer.start()
        defer { writer.stop() }
        let deadline = Date().addingTimeInterval(20)
        while writer.activity.turns == 0, Date() < deadline { usleep(10_000) }
        usleep(100_000)
        let settled = writer.activity
        usleep(1_500_000)
        let idle = writer.activity
        #expect(idle == settled, "an idle writer slept: \(settled) then \(idle)")
        #expect(idle.transactions <= 1, "\(idle)")

        var batch = JournalBatch()
        let now = clock.now
        batch.tasks = [JournaledTask(
            id: "a1b2c3d4-0000-4000-8000-0000000000aa", name: "app.flaky", state: .failure, firstSeen: now, lastUpdate: now,
            attempts: [JournaledAttempt(number: 1, ended: now, outcome: .failure, exception: "E('x')")])]
        writer.submit(JournalFacts(batch))
        // The clock has not moved, so the commit waits for it: 0.25 s of the writer's clock.
        usleep(200_000)
        #expect(writer.status.tasksWritten == 0, "no commit before its interval")
        clock.advance(by: 0.3)
        writer.submit(JournalFacts())
        let committedBy = Date().addingTimeInterval(5)
        while writer.status.tasksWritten == 0, Date() < committedBy { usleep(10_000) }
        #expect(writer.status.tasksWritten == 1)
        #expect(try JournalReader(path: path).tasks(since: 0, limit: 10, maxAttempts: 8).map(\.id) == ["a1b2c3d4-0000-4000-8000-0000000000aa"])
        let stopped = Date()
        writer.stop()
        #expect(Date().timeIntervalSince(stopped) < 2, "stop wakes the sleeping writer")
    }
}
