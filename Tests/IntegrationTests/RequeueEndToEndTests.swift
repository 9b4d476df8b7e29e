import Foundation
import Testing
import TestSupport

/// Requeue through the real `retrytop` dashboard in tmux: `R` in the Failed pane, the preview
/// dialog, `y`, and the copy rerunning with byte-identical arguments; and `--read-only` offering none of it.
@Suite(.serialized) struct RequeueEndToEndTests {
    typealias Celery = ActionsCeleryTests

    @Test(.timeLimit(.minutes(3))) func requeueAFailedTaskFromTheFailedPaneWithExactArguments() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let effects = try Celery.temporaryDirectory("rq-e2e")
        let backend = redis.url(db: 1)
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: redis.url, name: "rqe2e", resultBackendURL: backend, resultExtended: true, sideEffectDirectory: effects)
        defer { worker.kill() }
        let audit = effects.appendingPathComponent("audit.log")
        let binary = RepoPaths.retrytopBinary.path
        let tmux = try await TmuxSession(
            command: "'\(binary)' --broker '\(redis.url)' --result-backend '\(backend)' --audit-log '\(audit.path)'",
            width: 160, height: 45)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(15))

        // Nested args and kwargs with fail=True: demo.echo records them, then fails for good.
        let id = try await CeleryCall(brokerURL: redis.url, resultBackendURL: backend)
            .sendOne("demo.echo", args: Celery.nestedArgs, kwargs: Celery.nestedKwargs)
        let original = try await Celery.waitForFile(effects.appendingPathComponent("\(id).json"))
        try await Celery.waitForStatus(backend, [id], "FAILURE")
        try await tmux.waitFor("Failed for good 1", timeout: .seconds(15))

        // Focus the Failed pane (Retrying → Active → Rates → Workers → Failed) and ask for a requeue.
        for _ in 0..<4 { try await tmux.sendKeys("Tab") }
        try await tmux.sendKeys("R")
        // Wait for the dialog's last row too: a capture can catch a frame half drawn.
        let dialog = try await tmux.waitUntil(timeout: .seconds(15), description: "the requeue dialog") {
            $0.contains("Requeue 1 task?") && $0.contains("One message, sent at once.") && $0.contains("n/Esc cancel")
        }
        #expect(dialog.contains("Send 1 of 1 task again as new tasks"), "\(dialog)")
        #expect(dialog.contains("Names: 1 × demo.echo"))
        #expect(dialog.contains("Arguments from: 1 result backend"), "\(dialog)")
        #expect(dialog.contains("y confirm") && dialog.contains("n/Esc cancel"))
        #expect(!dialog.contains("Refused"))
        #expect(!FileManager.default.fileExists(atPath: audit.path), "the preview sends nothing")

        try await tmux.sendKeys("y")
        let pattern = try Regex("\"\(id)\":\"([0-9a-f-]{36})\"")
        var newID: String?
        for _ in 0..<100 where newID == nil {
            let log = (try? String(contentsOf: audit, encoding: .utf8)) ?? ""
            if let match = log.firstMatch(of: pattern) { newID = match.output[1].substring.map(String.init) }
            if newID == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let copyID = try #require(newID, "no requeue line in the audit log")
        #expect(copyID != id)
        try await tmux.waitUntil(timeout: .seconds(10), description: "the requeue summary with the new id") {
            $0.contains("Requeue finished 1/1") && $0.contains("new id \(copyID)")
        }

        // The copy ran with exactly the original arguments.
        let copy = try await Celery.waitForFile(effects.appendingPathComponent("\(copyID).json"))
        #expect(copy == original, "\(String(decoding: copy, as: UTF8.self)) vs \(String(decoding: original, as: UTF8.self))")
        let log = try String(contentsOf: audit, encoding: .utf8)
        #expect(log.contains("\"action\":\"requeue\"") && log.contains("result_backend=1"))

        // The original's detail links to its copy.
        try await tmux.sendKeys(":")
        try await tmux.type(String(id.prefix(8)))
        try await tmux.sendKeys("Enter")
        try await tmux.waitUntil(timeout: .seconds(10), description: "the original's detail linking to its copy") {
            $0.contains("requeued as \(copyID.prefix(8))") && $0.contains(id)
        }
        // And the copy's detail links back once its events arrive.
        try await tmux.sendKeys("Escape")
        try await Task.sleep(for: .milliseconds(300))
        try await tmux.sendKeys(":")
        try await tmux.type(String(copyID.prefix(8)))
        try await tmux.sendKeys("Enter")
        try await tmux.waitFor("requeue of \(id.prefix(8))", timeout: .seconds(10))

        try await tmux.sendKeys("q")
        #expect(try await tmux.waitForExit(timeout: .seconds(10)) == 0)
    }

    /// `k/n` of the requeue line (`Requeue 3/10`, `Requeue PAUSED 3/10`, `Requeue stopped after 3/10`).
    static func requeueCount(_ screen: String) -> Int? {
        guard let match = screen.firstMatch(of: /Requeue (?:PAUSED |aborting |stopped after |finished )?(\d+)\/(\d+)/) else { return nil }
        return Int(match.output.1)
    }

    @Test(.timeLimit(.minutes(3))) func pacedBulkRequeuePausesResumesAndAborts() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let effects = try Celery.temporaryDirectory("rq-e2e-bulk")
        let backend = redis.url(db: 1)
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: redis.url, name: "rqbulk", concurrency: 2, resultBackendURL: backend, resultExtended: true,
            sideEffectDirectory: effects)
        defer { worker.kill() }
        let audit = effects.appendingPathComponent("audit.log")
        let binary = RepoPaths.retrytopBinary.path
        let tmux = try await TmuxSession(
            command: "'\(binary)' --broker '\(redis.url)' --result-backend '\(backend)' --audit-log '\(audit.path)' "
                + "--requeue-rate 2 --requeue-jitter 0",
            width: 160, height: 45)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(15))
        let ids = try await CeleryCall(brokerURL: redis.url, resultBackendURL: backend)
            .send("demo.echo", args: #"[1, {"n": [2, 3]}]"#, kwargs: #"{"fail": true}"#, count: 10)
        try await Celery.waitForStatus(backend, ids, "FAILURE")
        try await tmux.waitFor("Failed for good 10", timeout: .seconds(15))

        for _ in 0..<4 { try await tmux.sendKeys("Tab") }
        try await tmux.sendKeys("A")
        let dialog = try await tmux.waitUntil(timeout: .seconds(15), description: "the bulk requeue dialog") {
            $0.contains("Requeue 10 tasks?") && $0.contains("n/Esc cancel")
        }
        #expect(dialog.contains("every failed task of demo.echo"), "\(dialog)")
        #expect(dialog.contains("Arguments from: 10 result backend"))
        #expect(dialog.contains("Paced at 2/s ±0% jitter: about 0:05 to finish"), "\(dialog)")
        try await tmux.sendKeys("y")
        try await tmux.waitUntil(timeout: .seconds(5), description: "two sent") { (Self.requeueCount($0) ?? 0) >= 2 }

        try await tmux.sendKeys("P")
        let paused = try await tmux.waitUntil(description: "paused") { $0.contains("Requeue PAUSED") && $0.contains("P resume") }
        // The snapshot may still add the message in flight; after that the count holds.
        try await Task.sleep(for: .seconds(1))
        let held = try #require(Self.requeueCount(try await tmux.capture()), "\(paused)")
        try await Task.sleep(for: .seconds(1.5))
        #expect(Self.requeueCount(try await tmux.capture()) == held, "nothing is sent while paused")

        try await tmux.sendKeys("P")
        try await tmux.waitUntil(description: "resumed and sending") { (Self.requeueCount($0) ?? 0) > held && $0.contains("P pause") }
        try await tmux.sendKeys("C")
        let stopped = try await tmux.waitFor("Requeue stopped after", timeout: .seconds(5))
        let sent = try #require(Self.requeueCount(stopped))
        #expect(sent > held && sent < 10, "\(stopped)")

        // The audit log: an intent planning all 10 copies, a send record before each message that went out,
        // and a result naming exactly the copies sent and why it stopped.
        var records: [[String: Any]] = []
        for _ in 0..<50 where !records.contains(where: { $0["phase"] as? String == "result" }) {
            let text = (try? String(contentsOf: audit, encoding: .utf8)) ?? ""
            records = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            try await Task.sleep(for: .milliseconds(100))
        }
        let requeues = records.filter { $0["action"] as? String == "requeue" }
        let intent = try #require(requeues.first { $0["phase"] as? String == "intent" }, "\(records)")
        #expect((intent["new_ids"] as? [String: Any])?.count == 10)
        let sends = requeues.filter { $0["phase"] as? String == "send" }.count
        #expect(sends == sent, "\(records)")
        let result = try #require(requeues.first { $0["phase"] as? String == "result" }, "\(records)")
        let links = ids.filter { (result["new_ids"] as? [String: Any])?[$0] != nil }
        #expect(links.count == sent, "\(result)")
        #expect(result["stopped"] != nil, "\(result)")
        try await Task.sleep(for: .seconds(1))
        #expect(Self.requeueCount(try await tmux.capture()) == sent, "nothing more after the abort")

        try await tmux.sendKeys("q")
        #expect(try await tmux.waitForExit(timeout: .seconds(10)) == 0)
    }

    @Test(.timeLimit(.minutes(2))) func readOnlyShowsNoRequeueKeyAndRExplains() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let binary = RepoPaths.retrytopBinary.path
        let tmux = try await TmuxSession(command: "'\(binary)' --broker '\(redis.url)' --read-only", width: 140, height: 36)
        defer { tmux.kill() }
        let screen = try await tmux.waitUntil(timeout: .seconds(15), description: "the read-only dashboard with its footer") {
            $0.contains("READ-ONLY") && $0.contains("? help")
        }
        #expect(!screen.contains("R requeue"), "\(screen)")
        try await tmux.sendKeys("R")
        let explained = try await tmux.waitUntil(description: "why R does nothing") {
            $0.contains("R (requeue with exact arguments") && $0.contains("is disabled: retrytop runs with --read-only")
        }
        #expect(!explained.contains("Requeue 1 task?") && !explained.contains("Preparing requeue preview"))
        try await tmux.sendKeys("A")
        try await tmux.waitFor("A (requeue every failed task")
        try await tmux.sendKeys("P")
        try await tmux.waitFor("No requeue is running")
        try await tmux.sendKeys("q")
        #expect(try await tmux.waitForExit() == 0)
    }
}
