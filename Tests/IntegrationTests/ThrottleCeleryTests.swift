import Foundation
import Monitor
import Testing
import TestSupport

/// `retrytop rate-limit` and `retrytop consumers` against a real Celery 5.7 worker: the achieved rate
/// before and after a limit, errors and silent destinations reported, read-only sends nothing, and a
/// cancelled queue is not consumed until it is added back.
@Suite(.serialized) struct ThrottleCeleryTests {
    typealias Actions = ActionsCeleryTests

    /// Start times of `ids` that have started, sorted.
    static func starts(_ model: Actions.Model, _ ids: [String]) -> [Double] {
        model.withState { state in ids.compactMap { state.tasks[$0]?.attempts.first?.started } }.sorted()
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test(.timeLimit(.minutes(3))) func rateLimitSlowsTheTaskAndConsumersStopAndResume() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "rl", concurrency: 2)
        defer { worker.kill() }
        let model = try Actions.Model(broker: redis.url)
        defer { model.stop() }
        try await Task.sleep(for: .milliseconds(500))
        let celery = CeleryCall(brokerURL: redis.url)
        let directory = try Actions.temporaryDirectory("throttle")
        let audit = directory.appendingPathComponent("audit.log").path
        let common = ["--broker", redis.url, "--audit-log", audit]

        // Before: no limit, 8 tasks start within a few seconds.
        let before = try await celery.send("demo.add", args: "[1, 2]", count: 8)
        try await model.waitFor("8 unlimited tasks") { state in before.allSatisfy { state.tasks[$0]?.state == .success } }
        let beforeStarts = Self.starts(model, before)
        let beforeSpan = (beforeStarts.last ?? 0) - (beforeStarts.first ?? 0)
        #expect(beforeSpan < 3, "8 tasks took \(beforeSpan) s to start without a limit")

        // A limit of 6/m: one start every 10 s per worker.
        let limited = try await Actions.retrytop(["rate-limit", "demo.add", "6/m"] + common)
        #expect(limited.status == 0, "\(limited.stderr)")
        let report = try Actions.json(limited.stdout)
        let ok = try #require(report["ok"] as? [String: String])
        let node = try #require(ok.keys.first, "no worker answered: \(limited.stdout)")
        #expect(ok.count == 1 && ok[node] == "new rate limit set successfully")
        #expect((report["read_back"] as? [String: String])?[node] == "6/m", "\(limited.stdout)")
        let logged = Self.lines(audit)
        // Written ahead: the intent before the request, the result after.
        #expect(logged.count == 2 && logged[0].contains(#""action":"rate_limit""#) && logged[0].contains(#""phase":"intent""#), "\(logged)")
        #expect(logged.last?.contains(#""phase":"result""#) == true, "\(logged)")
        #expect(logged.last?.contains("1 ok") == true)

        let after = try await celery.send("demo.add", args: "[3, 4]", count: 4)
        try await Task.sleep(for: .seconds(12))
        let afterStarts = Self.starts(model, after)
        #expect((1...2).contains(afterStarts.count), "\(afterStarts.count) of 4 started within 12 s at 6/m")
        let beforeRate = Double(before.count - 1) / max(beforeSpan, 0.001)
        print("throttle: unlimited \(before.count) starts in \(String(format: "%.2f", beforeSpan)) s (\(String(format: "%.1f", beforeRate))/s); "
            + "at 6/m \(afterStarts.count) of \(after.count) started in 12 s (\(String(format: "%.2f", Double(afterStarts.count) / 12))/s)")

        // Errors and silence are reported, and fail the command.
        let unknown = try await Actions.retrytop(["rate-limit", "demo.nope", "10/m"] + common)
        #expect(unknown.status != 0)
        #expect((try Actions.json(unknown.stdout)["errors"] as? [String: String])?[node] == "unknown task", "\(unknown.stdout)")
        let silent = try await Actions.retrytop(["rate-limit", "demo.add", "6/m", "--destination", "nobody@nowhere"] + common)
        #expect(silent.status != 0)
        #expect(try Actions.json(silent.stdout)["missing"] as? [String] == ["nobody@nowhere"])
        #expect(silent.stderr.contains("no reply from nobody@nowhere"), "\(silent.stderr)")
        let auditLines = Self.lines(audit).count
        let readOnly = try await Actions.retrytop(["rate-limit", "demo.add", "0", "--read-only"] + common)
        #expect(readOnly.status != 0 && Self.lines(audit).count == auditLines, "read-only sent or logged something")

        // Lift the limit, then stop consuming the queue: a new task is not received until the queue is added back.
        let lifted = try await Actions.retrytop(["rate-limit", "demo.add", "0", "--destination", node] + common)
        #expect(lifted.status == 0, "\(lifted.stderr)")
        let cancelled = try await Actions.retrytop(["consumers", "cancel", "celery"] + common)
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect((try Actions.json(cancelled.stdout)["active_queues"] as? [String: [String]])?[node]?.contains("celery") == false, "\(cancelled.stdout)")
        let waiting = try await celery.sendOne("demo.add", args: "[5, 6]")
        try await Task.sleep(for: .seconds(3))
        #expect(model.task(waiting) == nil || model.task(waiting)?.state == .pending, "received while the queue was cancelled")
        let added = try await Actions.retrytop(["consumers", "add", "celery"] + common)
        #expect(added.status == 0, "\(added.stderr)")
        #expect((try Actions.json(added.stdout)["active_queues"] as? [String: [String]])?[node]?.contains("celery") == true, "\(added.stdout)")
        try await model.waitFor("the waiting task after add_consumer", timeout: .seconds(20)) { $0.tasks[waiting]?.state == .success }
    }
}
