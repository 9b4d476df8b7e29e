import Foundation
@testable import Journal
import Monitor
import Testing
import TestSupport

/// The dashboard journals by default (issue 14: "otherwise the dashboard journals itself"): no
/// `--journal`, no recorder, and the broker's default journal under `$XDG_STATE_HOME` holds what it saw.
@Suite(.serialized) struct DashboardJournalTests {
    /// A task that retried once and then failed for good, as a worker sends it.
    static func retriedThenFailed(_ id: String, name: String, on worker: inout EventBuilder) -> [CeleryEvent] {
        [
            worker.received(id, name: name), worker.started(id), worker.retried(id, "ConnectionError('refused')"),
            worker.received(id, name: name, retries: 1), worker.started(id), worker.failed(id, "ConnectionError('refused again')"),
        ]
    }

    /// The journals under `state` (`<state>/retrytop/journal-*.sqlite`).
    static func journals(under state: URL) -> [String] {
        let directory = state.appendingPathComponent("retrytop")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("journal-") && $0.hasSuffix(".sqlite") }.map { directory.appendingPathComponent($0).path }
    }

    @Test(.timeLimit(.minutes(2))) func aDashboardWithoutJournalOptionWritesTheBrokersDefaultJournal() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let state = try ActionsCeleryTests.temporaryDirectory("dashboard-journal")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try await TmuxSession(
            command: "'\(RepoPaths.retrytopBinary.path)' --broker '\(redis.url)' --no-backfill", width: 120, height: 36,
            environment: ["XDG_STATE_HOME": state.path])
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(20))
        let publisher = try CeleryEventPublisher(url: redis.url)
        defer { publisher.close() }
        try publisher.waitForSubscriber()

        var worker = EventBuilder(worker: "celery@journal", time: Date().timeIntervalSince1970 - 30)
        let id = "c0000000-0000-4000-8000-000000000001"
        #expect(try publisher.publish(CeleryEventPublisher.workerMessages(Self.retriedThenFailed(id, name: "tasks.flaky", on: &worker))) == 1)
        _ = try await tmux.waitFor("Failed for good 1 ", timeout: .seconds(15))

        // Read back beside the running dashboard (read-only), as `sqlite3 -readonly` would.
        let deadline = ContinuousClock.now + .seconds(20)
        var found: JournaledTask?
        var paths: [String] = []
        while ContinuousClock.now < deadline, found?.attempts.count != 2 {
            paths = Self.journals(under: state)
            if paths.count == 1, let reader = try? JournalReader(path: paths[0]) {
                found = (try? reader.tasks(since: 0, limit: 100, maxAttempts: 8))?.first { $0.id == id }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(paths.count == 1, "one default journal for the broker: \(paths)")
        let task = try #require(found, "the dashboard journaled nothing under \(state.path): \(paths)")
        #expect(task.name == "tasks.flaky")
        #expect(task.state == .failure)
        #expect(task.attempts.map(\.outcome) == [.retry, .failure])
        #expect(task.attempts.first?.exception == "ConnectionError('refused')")
        #expect(task.attempts.last?.traceback?.isEmpty == false, "the failure's traceback reached the journal")
        let rates = try JournalReader(path: paths[0]).database.scalar("SELECT sum(retried) + sum(failed) FROM rates WHERE name = 'tasks.flaky'")
        #expect(rates == 2, "per-minute counts: one retry, one failure")
        try await tmux.sendKeys("q")
    }

    /// The Rates pane's 24 h view (`H`) on a journal `retrytop record` wrote earlier: a dashboard that has
    /// seen no event of the name lists it from the journal, with its day's counts and sparkline.
    @Test(.timeLimit(.minutes(2))) func theRatesPaneShowsTheDayARecorderJournaled() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let directory = try ActionsCeleryTests.temporaryDirectory("journal-24h")
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = directory.appendingPathComponent("journal.sqlite").path
        let recorder = try JournalRecorderTests.startRecorder(redis.url, journal: journal, directory: directory, run: 1)
        defer { recorder.kill() }
        _ = try await JournalRecorderTests.waitForJournal(journal, timeout: .seconds(20)) { _ in true }
        let publisher = try CeleryEventPublisher(url: redis.url)
        defer { publisher.close() }
        try publisher.waitForSubscriber()
        var worker = EventBuilder(worker: "celery@night", time: Date().timeIntervalSince1970 - 120)
        var events: [CeleryEvent] = []
        for index in 1...3 {
            let id = "d0000000-0000-4000-8000-00000000000\(index)"
            events += [
                worker.received(id, name: "tasks.nightly_export"), worker.started(id), worker.retried(id),
                worker.received(id, name: "tasks.nightly_export", retries: 1), worker.started(id), worker.retried(id),
                worker.received(id, name: "tasks.nightly_export", retries: 2), worker.started(id), worker.failed(id),
            ]
        }
        #expect(try publisher.publish(CeleryEventPublisher.workerMessages(events)) == 1)
        let deadline = ContinuousClock.now + .seconds(20)
        var recorded = JournalRates()
        let now = Date().timeIntervalSince1970
        while ContinuousClock.now < deadline, recorded.total(.failed, endingAt: now) < 3 {
            recorded = (try? JournalReader(path: journal).rates(fromMinute: JournalRates.firstMinute(endingAt: now))) ?? JournalRates()
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(recorded.total(.received, endingAt: now) == 9 && recorded.total(.retried, endingAt: now) == 6, "\(recorded)")
        recorder.signal(SIGTERM)
        #expect(await recorder.waitForExit(timeout: .seconds(10)))
        #expect(recorder.exitStatus == 0, "\(recorder.errorOutput())")

        let tmux = try await TmuxSession(
            command: "'\(RepoPaths.retrytopBinary.path)' --broker '\(redis.url)' --journal '\(journal)' --no-backfill", width: 200, height: 50)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(20))
        try await tmux.sendKeys("H")
        // The row: the day's counts (9 received, 0 ok, 6 retried, 3 failed; 100% of attempts raised, a third
        // of the ended attempts failed for good) and the sparkline, full height in the bucket of those minutes.
        let screen = try await tmux.waitUntil(timeout: .seconds(10), description: "the 24 h view with the journal's counts") {
            $0.contains("LAST 24h") && $0.firstMatch(of: /nightly_export +9 +0 +6 +3 +100\.0% +33\.3%/) != nil
        }
        #expect(screen.contains("Rates, last 24 h (journal)"), "the range is in the pane's title: \(screen)")
        let row = try #require(screen.split(separator: "\n").first { $0.contains("nightly_export") }, "\(screen)")
        #expect(row.contains("█"), "the day's retries drawn at full height in their bucket: \(row)")
        try await tmux.sendKeys("H")
        _ = try await tmux.waitFor("LAST 15m", timeout: .seconds(10))
        try await tmux.sendKeys("q")
    }
}
