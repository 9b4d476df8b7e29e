import Foundation
import Launch
import Journal
import Monitor
import Testing
import TestSupport

/// The recorder and its journal against a real redis-server, real Celery workers and the TUI in tmux
/// (issue 14, "Done when"): history recorded, `kill -9` survived, downtime kept as a gap, read back by
/// `snapshot --journal` and by a dashboard started later.
@Suite(.serialized) struct JournalRecorderTests {
    typealias Celery = ActionsCeleryTests
    typealias Snapshot = SnapshotCeleryTests

    static func startRecorder(_ broker: String, journal: String, directory: URL, run: Int) throws -> BackgroundProcess {
        try BackgroundProcess(
            executable: RepoPaths.retrytopBinary.path,
            arguments: ["record", "--broker", broker, "--journal", journal, "--audit-log", directory.appendingPathComponent("audit.log").path],
            unsetting: ["CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"],
            outputFile: directory.appendingPathComponent("record-\(run).out"))
    }

    /// Polls the journal until `check` holds for the tasks it has (read-only, beside the writer).
    static func waitForJournal(
        _ path: String, timeout: Duration = .seconds(40), _ check: ([String: JournaledTask]) -> Bool
    ) async throws -> [String: JournaledTask] {
        let deadline = ContinuousClock.now + timeout
        var last: [String: JournaledTask] = [:]
        while ContinuousClock.now < deadline {
            if let reader = try? JournalReader(path: path), let tasks = try? reader.tasks(since: 0, limit: 10_000, maxAttempts: 32) {
                last = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                if check(last) { return last }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw HarnessError("journal \(path) never matched; has \(last.count) tasks: \(last.values.map { "\($0.id) \($0.state) \($0.attempts.count)" })")
    }

    @Test(.timeLimit(.minutes(3))) func recorderSurvivesKillNineAndItsHistoryOpensInSnapshotAndDashboard() async throws {
        _ = try RequiredTool.retrytop.path()
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let directory = try Celery.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("state/journal.sqlite").path
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "jr", concurrency: 2)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: redis.url)

        // 1. A recorder records a retrying task and a failing one.
        var recorder = try Self.startRecorder(redis.url, journal: journal, directory: directory, run: 1)
        defer { recorder.kill() }
        _ = try await Self.waitForJournal(journal, timeout: .seconds(20)) { _ in true }  // schema made, session open
        try await Task.sleep(for: .milliseconds(500))
        let retrying = try await celery.sendOne("demo.manual_retry", args: "[1, 3]")
        let failing = try await celery.sendOne("demo.permanent_failure", args: "[5]")
        let recorded = try await Self.waitForJournal(journal) {
            $0[retrying]?.state == .success && $0[retrying]?.attempts.count == 3 && $0[failing]?.state == .failure
        }
        let history = try #require(recorded[retrying])
        #expect(history.name == "demo.manual_retry")
        #expect(history.attempts.map(\.outcome) == [.retry, .retry, .success])
        #expect(history.attempts.prefix(2).allSatisfy { ($0.backoffWait ?? 0) >= 1 && $0.exception?.contains("manual_retry(1)") == true })
        #expect(history.attempts.prefix(2).allSatisfy { $0.traceback?.contains("Traceback") == true })

        // 2. kill -9 in the middle of a storm leaves a sound journal.
        _ = try await celery.send("demo.immediate_retry", args: "[3]", count: 200)
        try await Task.sleep(for: .seconds(2))
        recorder.kill()
        await recorder.waitForExit(timeout: .seconds(5))
        #expect(try JournalReader(path: journal).integrityCheck() == "ok")
        let killedAt = Date().timeIntervalSince1970

        // 3. A restarted recorder records its downtime as a gap and exits 0 on SIGTERM.
        try await Task.sleep(for: .seconds(1))
        recorder = try Self.startRecorder(redis.url, journal: journal, directory: directory, run: 2)
        let deadline = ContinuousClock.now + .seconds(20)
        var gaps: [ConnectionState.Gap] = []
        while ContinuousClock.now < deadline {
            gaps = (try? JournalReader(path: journal).gaps()) ?? []
            if gaps.contains(where: { $0.reason.contains("crash") }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let downtime = try #require(gaps.first { $0.reason.contains("crash") }, "\(gaps) \(recorder.errorOutput())")
        #expect(downtime.from <= killedAt && (downtime.to ?? 0) >= killedAt, "\(downtime), killed at \(killedAt)")
        try await Task.sleep(for: .seconds(1))
        recorder.signal(SIGTERM)
        #expect(await recorder.waitForExit(timeout: .seconds(10)))
        #expect(recorder.exitStatus == 0, "\(recorder.errorOutput())")
        #expect(recorder.errorOutput().contains("journal committed"))

        // 4. snapshot --journal shows both tasks with every attempt, outcome, exception and backoff wait.
        let snapshot = try await Celery.retrytop(["snapshot", "--broker", redis.url, "--journal", journal, "--for", "1", "--no-backfill"])
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(snapshot.stdout.utf8)) as? [String: Any])
        let journalObject = try #require(document["journal"] as? [String: Any])
        #expect(journalObject["path"] as? String == journal)
        #expect((journalObject["tasks_loaded"] as? Int ?? 0) >= 2)
        #expect(journalObject["oldest_record"] is Double)
        let snapshotGaps = try #require(journalObject["gaps"] as? [[String: Any]])
        #expect(snapshotGaps.contains { ($0["reason"] as? String)?.contains("crash") == true && $0["from"] is Double && $0["to"] is Double })
        let retried = try Snapshot.task(document, retrying)
        #expect(retried["state"] as? String == "SUCCESS")
        let attempts = Snapshot.attempts(retried)
        #expect(attempts.map { $0["outcome"] as? String } == ["RETRY", "RETRY", "SUCCESS"])
        #expect(attempts.allSatisfy { $0["from_journal"] as? Bool == true && $0["worker"] as? String == worker.nodeName })
        #expect(attempts.allSatisfy { $0["received"] is Double && $0["started"] is Double && $0["ended"] is Double && $0["runtime"] is Double })
        #expect(attempts.prefix(2).allSatisfy { ($0["backoff_wait"] as? Double ?? 0) >= 1 && $0["retry_at"] is Double && $0["exception"] is String })
        #expect(attempts.dropFirst().allSatisfy { $0["eta"] is Double })
        let failed = try Snapshot.task(document, failing)
        #expect(failed["state"] as? String == "FAILURE")
        #expect((Snapshot.attempts(failed).first?["exception"] as? String)?.hasPrefix("ValueError(") == true)
        #expect((Snapshot.attempts(failed).first?["traceback"] as? String)?.contains("Traceback") == true)

        // 5. A dashboard started later opens the retried task with its full history from the journal.
        let tmux = try await TmuxSession(
            command: "\(RepoPaths.retrytopBinary.path) --broker \(redis.url) --journal \(journal) --no-backfill", width: 140, height: 40)
        defer { tmux.kill() }
        _ = try await tmux.waitFor("retrytop", timeout: .seconds(15))
        try await tmux.sendKeys(":")
        try await tmux.type(retrying)
        try await tmux.sendKeys("Enter")
        let screen = try await tmux.waitFor("all from the journal", timeout: .seconds(10))
        #expect(screen.contains("Attempts 3"), "\(screen)")
        #expect(screen.contains("manual_retry(1) attempt 1"), "\(screen)")
        #expect(screen.components(separatedBy: "RETRY").count - 1 >= 2, "\(screen)")
        try await tmux.sendKeys("q")
    }

    @Test(.timeLimit(.minutes(1))) func aRecorderNeverConnectedKeepsRetryingAndSaysWhy() async throws {
        let directory = try Celery.temporaryDirectory("journal-refused")
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try FreePort.next()
        let journal = directory.appendingPathComponent("journal.sqlite").path
        let recorder = try Self.startRecorder("redis://127.0.0.1:\(port)/0", journal: journal, directory: directory, run: 1)
        defer { recorder.kill() }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, recorder.errorOutput().components(separatedBy: "attempt").count < 3 {
            try await Task.sleep(for: .milliseconds(200))
        }
        let log = recorder.errorOutput()
        #expect(recorder.isRunning, "\(log)")
        #expect(log.components(separatedBy: "attempt").count >= 3, "each failed attempt is logged: \(log)")
        #expect(log.contains("refused"), "\(log)")
        // A second recorder on the same journal is refused: one writer per journal.
        let second = try await Celery.retrytop(["record", "--broker", "redis://127.0.0.1:\(port)/0", "--journal", journal], timeout: .seconds(20))
        #expect(second.status == 73, "\(second.stderr)")
        #expect(second.stderr.contains("another process writes"))
        recorder.signal(SIGINT)
        #expect(await recorder.waitForExit(timeout: .seconds(10)))
        #expect(recorder.exitStatus == 0, "\(recorder.errorOutput())")
    }
}
