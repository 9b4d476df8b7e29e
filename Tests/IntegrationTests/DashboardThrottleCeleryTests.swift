import Foundation
import Monitor
import Testing
import TestSupport

/// Throttling from the dashboard (tmux) and `retrytop revoke --name`, against a real Celery worker.
@Suite(.serialized) struct DashboardThrottleCeleryTests {
    typealias Actions = ActionsCeleryTests

    /// `L` on the Rates pane sets a limit that slows the task (achieved start rate before and after,
    /// from events), the changes list shows it, and `U` restores the previous value (read back), after
    /// which new tasks start at once again.
    @Test(.timeLimit(.minutes(3))) func rateLimitFromTheDashboardSlowsTheTaskAndUndoRestoresIt() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "dthr", concurrency: 2)
        defer { worker.kill() }
        let model = try Actions.Model(broker: redis.url)
        defer { model.stop() }
        let directory = try Actions.temporaryDirectory("dash-throttle")
        let audit = directory.appendingPathComponent("audit.log").path
        let tmux = try await TmuxSession(
            command: "'\(RepoPaths.retrytopBinary.path)' --broker '\(redis.url)' --audit-log '\(audit)'", width: 140, height: 40)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(15))
        // The worker went online before retrytop subscribed: it is known from its next heartbeat (every 2 s),
        // and the confirmation's total counts the workers retrytop knows.
        try await tmux.waitFor("1/1 workers", timeout: .seconds(10))
        let celery = CeleryCall(brokerURL: redis.url)

        let before = try await celery.send("demo.add", args: "[1, 2]", count: 6)
        try await model.waitFor("6 unlimited tasks") { state in before.allSatisfy { state.tasks[$0]?.state == .success } }
        let beforeStarts = ThrottleCeleryTests.starts(model, before)
        let beforeSpan = (beforeStarts.last ?? 0) - (beforeStarts.first ?? 0)
        #expect(beforeSpan < 3, "6 tasks took \(beforeSpan) s to start without a limit")
        try await tmux.waitFor("demo.add")

        // Rates pane, L, type 6/m over the default, Enter: the confirmation; y sends it.
        try await tmux.sendKeys("Tab")
        try await tmux.sendKeys("Tab")
        try await tmux.sendKeys("L")
        try await tmux.waitFor("rate limit for demo.add on every worker: 10/m", timeout: .seconds(5))
        for _ in 0..<4 { try await tmux.sendKeys("BSpace") }
        try await tmux.type("6/m")
        try await tmux.sendKeys("Enter")
        let dialog = try await tmux.waitFor("Rate-limit demo.add to 6/m?", timeout: .seconds(5))
        #expect(dialog.contains("1 worker × 6/m = 6/m in total"), "\(dialog)")
        #expect(dialog.contains("prefetch window"))
        try await tmux.sendKeys("y")
        let applied = try await tmux.waitFor("changed by retrytop: rate limit demo.add = 6/m", timeout: .seconds(10))
        #expect(applied.contains("read back: \(worker.nodeName) 6/m"), "\(applied)")
        let logged = ThrottleCeleryTests.lines(audit)
        #expect(logged.first?.contains(#""phase":"intent""#) == true && logged.first?.contains("rate_limit") == true, "\(logged)")

        let after = try await celery.send("demo.add", args: "[3, 4]", count: 4)
        try await Task.sleep(for: .seconds(12))
        let afterStarts = ThrottleCeleryTests.starts(model, after)
        #expect((1...2).contains(afterStarts.count), "\(afterStarts.count) of 4 started within 12 s at 6/m")
        print("dashboard throttle: unlimited 6 starts in \(String(format: "%.2f", beforeSpan)) s; at 6/m \(afterStarts.count) of 4 started in 12 s")

        // U, y: the previous value (none) is restored and read back; the list empties.
        try await tmux.sendKeys("U")
        try await tmux.waitFor("Undo rate limit demo.add = 6/m?", timeout: .seconds(5))
        try await tmux.sendKeys("y")
        let undone = try await tmux.waitUntil(timeout: .seconds(10), description: "undo read back") {
            $0.contains("Undone, restored rate limit demo.add = none") && !$0.contains("changed by retrytop")
        }
        #expect(undone.contains("read back: \(worker.nodeName) none"), "\(undone)")
        // New tasks start at once again (those held under the limit keep their old pace: the warning).
        let restored = try await celery.send("demo.add", args: "[5, 6]", count: 4)
        try await model.waitFor("4 tasks after undo", timeout: .seconds(10)) { state in restored.allSatisfy { state.tasks[$0]?.state == .success } }
        let restoredStarts = ThrottleCeleryTests.starts(model, restored)
        #expect((restoredStarts.last ?? 0) - (restoredStarts.first ?? 0) < 3)
        #expect(ThrottleCeleryTests.lines(audit).count == 4, "apply and undo, each intent + result")
    }

    /// A task waiting in a 90 s backoff that began before retrytop ran is found by `revoke --name` (from
    /// the start-up backfill of unacked messages) and revoked; `--dry-run` finds it and sends nothing.
    @Test(.timeLimit(.minutes(2))) func revokeByNameFindsATaskInBackoffThatStartedBeforeRetrytop() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "rvn", concurrency: 1)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: redis.url)
        let slow = try await celery.sendOne("demo.long_backoff", args: "[1]")
        _ = try await worker.waitForLog("Retry in", timeout: .seconds(20))
        try await Task.sleep(for: .seconds(1))
        let directory = try Actions.temporaryDirectory("revoke-name")
        let audit = directory.appendingPathComponent("audit.log").path
        let common = ["--broker", redis.url, "--audit-log", audit, "--listen", "1", "--follow", "0"]

        let dry = try await Actions.retrytop(["revoke", "--name", "demo.long_backoff", "--dry-run"] + common)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(try Actions.json(dry.stdout)["ids"] as? [String] == [slow], "\(dry.stdout)")
        #expect(!FileManager.default.fileExists(atPath: audit), "a dry run sends and records nothing")

        let sent = try await Actions.retrytop(["revoke", "--name", "demo.long_backoff"] + common)
        #expect(sent.status == 0, "\(sent.stderr)")
        let report = try Actions.json(sent.stdout)
        #expect(report["ids"] as? [String] == [slow], "\(sent.stdout)")
        #expect(report["receivers"] as? Int == 1)
        _ = try await worker.waitForLog("Tasks flagged as revoked: \(slow)", timeout: .seconds(15))
        #expect(ThrottleCeleryTests.lines(audit).first?.contains(slow) == true)

        let none = try await Actions.retrytop(["revoke", "--name", "demo.nothing_by_this_name", "--dry-run"] + common)
        #expect(none.status == 1 && none.stderr.contains("no demo.nothing_by_this_name task in RETRY"), "\(none.stderr)")
    }

    /// The outcome `revoke --name` reports equals what the worker did: three tasks waiting in a 20 s
    /// backoff are revoked; the worker discards each at its ETA, and the follow-up count says so.
    @Test(.timeLimit(.minutes(2))) func revokeOutcomeCountsEqualWhatTheWorkerDid() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "rvo", concurrency: 2)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: redis.url)
        let ids = try await celery.send("demo.slow_fixed_retry", args: "[9]", count: 3)
        for id in ids { _ = try await worker.waitForLog("demo.slow_fixed_retry[\(id)] retry", timeout: .seconds(20)) }
        let directory = try Actions.temporaryDirectory("revoke-outcome")
        let sent = try await Actions.retrytop([
            "revoke", "--name", "demo.slow_fixed_retry", "--listen", "1", "--follow", "24",
            "--broker", redis.url, "--audit-log", directory.appendingPathComponent("audit.log").path,
        ])
        #expect(sent.status == 0, "\(sent.stderr)")
        let report = try Actions.json(sent.stdout)
        #expect(Set(report["ids"] as? [String] ?? []) == Set(ids), "\(sent.stdout)")
        let outcome = try #require(report["outcome"] as? [String: Any], "\(sent.stdout)")
        let discarded = ids.filter { worker.log().contains("Discarding revoked task: demo.slow_fixed_retry[\($0)]") }
        #expect(outcome["revoked_while_waiting"] as? Int == discarded.count, "\(outcome) vs \(discarded.count) discarded by the worker")
        #expect(discarded.count == 3)
        #expect(outcome["no_answer_yet"] as? Int == 0 && outcome["succeeded"] as? Int == 0 && outcome["failed"] as? Int == 0)
        #expect(sent.stderr.contains("3 targeted: 3 revoked while waiting"), "\(sent.stderr)")
    }
}
