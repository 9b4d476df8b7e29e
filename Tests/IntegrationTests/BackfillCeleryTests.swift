import Foundation
import Monitor
import RedisLink
import Testing
import TestSupport

/// Backfill at start against a real redis-server and real Celery workers: tasks in a long backoff and
/// failures made before retrytop started appear at once (issue 12).
@Suite(.serialized) struct BackfillCeleryTests {
    typealias Celery = ActionsCeleryTests
    typealias Snapshot = SnapshotCeleryTests

    /// The ETA of a task's message in `unacked`, read directly (the truth the countdown must show).
    static func heldETA(_ broker: String, _ id: String) throws -> Double? {
        let client = ControlClient(url: try BrokerURL(parsing: broker))
        defer { client.close() }
        for (_, raw) in try client.hgetall("unacked") {
            let entry = try JSONValue.parse(raw)
            guard let message = entry.arrayValue?.first, message["headers"]?["id"]?.stringValue == id else { continue }
            return message["headers"]?["eta"]?.stringValue.flatMap(ISO8601.epoch)
        }
        return nil
    }

    static func waitForHeld(_ broker: String, _ id: String, timeout: Duration = .seconds(60)) async throws -> Double {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let eta = try heldETA(broker, id) { return eta }
            if ContinuousClock.now > deadline { throw HarnessError("\(id) not in unacked after \(timeout)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    @Test(.timeLimit(.minutes(3))) func tasksFromBeforeStartAppearWithStateNameRetriesETAAndExactArguments() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let effects = try Celery.temporaryDirectory("backfill")
        let backend = redis.url(db: 1)
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: redis.url, name: "bf", resultBackendURL: backend, resultExtended: true, sideEffectDirectory: effects)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: redis.url, resultBackendURL: backend)
        // Before retrytop starts: a task waiting 90 s for its second attempt, and a permanent failure.
        let waiting = try await celery.sendOne("demo.long_backoff", args: "[7]")
        let failed = try await celery.sendOne("demo.echo", args: Celery.nestedArgs, kwargs: Celery.nestedKwargs)
        try await Celery.waitForStatus(backend, [waiting], "RETRY")
        try await Celery.waitForStatus(backend, [failed], "FAILURE")
        let eta = try await Self.waitForHeld(redis.url, waiting)
        let original = try await Celery.waitForFile(effects.appendingPathComponent("\(failed).json"))

        let result = try await Celery.retrytop(["snapshot", "--broker", redis.url, "--result-backend", backend, "--for", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])

        let backfill = try #require(document["backfill"] as? [String: Any])
        #expect(backfill["finished"] as? Bool == true)
        let sources = try #require(backfill["sources"] as? [String: [String: Any]])
        #expect(sources["unacked"]?["state"] as? String == "done", "\(sources)")
        #expect(sources["unacked"]?["tasks_found"] as? Int == 1)
        #expect(sources["result_backend"]?["state"] as? String == "done", "\(sources)")
        #expect(sources["result_backend"]?["tasks_found"] as? Int == 2)

        let held = try Snapshot.task(document, waiting)
        #expect(held["name"] as? String == "demo.long_backoff")
        #expect(held["state"] as? String == "RETRY")
        #expect(held["retries"] as? Int == 1)
        #expect(held["args"] as? String == "[7]")
        #expect(held["sources"] as? [String] == ["unacked", "inspect", "result_backend"], "\(held)")
        let next = try #require(held["next_attempt_at"] as? Double)
        #expect(abs(next - eta) <= 1, "next attempt \(next), unacked eta \(eta)")
        let heldAttempts = Snapshot.attempts(held)
        #expect(heldAttempts.map { $0["number"] as? Int } == [1, 2])
        #expect(heldAttempts.map { $0["outcome"] as? String } == ["RETRY", nil])
        #expect((heldAttempts.first?["exception"] as? String)?.contains("long_backoff(7) attempt 1") == true, "\(heldAttempts)")
        #expect(heldAttempts.allSatisfy { $0["started"] is NSNull && $0["beginning_unseen"] as? Bool == true })

        let failure = try Snapshot.task(document, failed)
        #expect(failure["name"] as? String == "demo.echo")
        #expect(failure["state"] as? String == "FAILURE")
        #expect(failure["retries"] as? Int == 0)
        #expect(failure["sources"] as? [String] == ["result_backend"])
        #expect(failure["worker"] as? String == worker.nodeName)
        let failureAttempts = Snapshot.attempts(failure)
        #expect(failureAttempts.count == 1)
        #expect((failureAttempts.first?["exception"] as? String)?.hasPrefix("ValueError(") == true, "\(failureAttempts)")
        #expect((failureAttempts.first?["traceback"] as? String)?.contains("Traceback") == true)
        // The rates stay empty: what happened before start is no storm.
        let rates = try #require(document["rates"] as? [String: Any])
        #expect((rates["by_name"] as? [String: Any])?.isEmpty == true)

        // The backfilled failure is requeued with its exact arguments.
        let audit = effects.appendingPathComponent("audit.log")
        let requeue = try await Celery.retrytop(["requeue", failed, "--broker", redis.url, "--result-backend", backend, "--audit-log", audit.path])
        #expect(requeue.status == 0, "\(requeue.stderr)")
        let copyID = try #require(((try Celery.json(requeue.stdout))["tasks"] as? [[String: Any]])?.first?["new_id"] as? String)
        let copy = try await Celery.waitForFile(effects.appendingPathComponent("\(copyID).json"))
        #expect(copy == original)
    }

    @Test(.timeLimit(.minutes(2))) func aFailureWithoutResultExtendedSaysItsNameIsUnknown() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let backend = redis.url(db: 1)
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "bfplain", resultBackendURL: backend)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: redis.url, resultBackendURL: backend)
        let failed = try await celery.sendOne("demo.permanent_failure", args: "[5]")
        try await Celery.waitForStatus(backend, [failed], "FAILURE")
        // Held for 6 s before start; its task-started and task-succeeded arrive while backfill merges.
        let soon = try await celery.sendOne("demo.add", args: "[20, 22]", options: #"{"countdown": 6}"#)
        _ = try await Self.waitForHeld(redis.url, soon)

        let result = try await Celery.retrytop(["snapshot", "--broker", redis.url, "--result-backend", backend, "--for", "9"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let failure = try Snapshot.task(document, failed)
        #expect(failure["state"] as? String == "FAILURE")
        #expect(failure["name"] is NSNull)
        #expect(failure["args"] is NSNull)
        #expect(failure["sources"] as? [String] == ["result_backend"])
        #expect((Snapshot.attempts(failure).first?["exception"] as? String)?.hasPrefix("ValueError(") == true)
        // A task whose events arrive during backfill ends in its event state.
        let ran = try Snapshot.task(document, soon)
        #expect(ran["state"] as? String == "SUCCESS", "\(ran)")
        #expect((ran["sources"] as? [String])?.starts(with: ["events", "unacked"]) == true, "\(ran)")
        #expect(Snapshot.attempts(ran).map { $0["outcome"] as? String } == ["SUCCESS"], "\(ran)")
        #expect(Snapshot.attempts(ran).first?["started"] is Double)

        // --no-backfill reads nothing.
        let none = try await Celery.retrytop(["snapshot", "--broker", redis.url, "--result-backend", backend, "--for", "1", "--no-backfill"])
        let empty = try #require(try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [String: Any])
        #expect((empty["tasks"] as? [Any])?.isEmpty == true)
        #expect((empty["backfill"] as? [String: Any])?["enabled"] as? Bool == false)
    }

    @Test(.timeLimit(.minutes(3))) func theDashboardShowsATaskWaitingSinceBeforeStartWithinThreeSeconds() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "bftmux")
        defer { worker.kill() }
        let waiting = try await CeleryCall(brokerURL: redis.url).sendOne("demo.long_backoff", args: "[3]")
        let eta = try await Self.waitForHeld(redis.url, waiting)

        let binary = RepoPaths.retrytopBinary.path
        let started = ContinuousClock.now
        let tmux = try await TmuxSession(command: "'\(binary)' --broker '\(redis.url)' --read-only", width: 140, height: 40)
        defer { tmux.kill() }
        let screen = try await tmux.waitUntil(timeout: .seconds(3), description: "long_backoff in the Retrying pane") {
            DashboardEndToEndTests.countdown(of: "long_backoff", in: $0) != nil
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(3), "took \(elapsed)")
        let shown = try #require(DashboardEndToEndTests.countdown(of: "long_backoff", in: screen))
        let expected = eta - Date().timeIntervalSince1970
        #expect(abs(Double(shown) - expected) <= 2, "countdown \(shown) s, eta in \(expected) s")
        #expect(screen.contains("watching since") || screen.contains("backfill"), "\(screen)")
    }

    /// The queue and inspect sources with a real worker, and a waiting task from before start that is then
    /// revoked: one `echo` held 60 s for its countdown (unacked + inspect scheduled), one running
    /// (`long_task`, only inspect knows it), two messages in a queue no worker consumes, one with priority.
    /// After `retrytop revoke`, a second snapshot shows the held task REVOKED (the workers' revoked set),
    /// and past its ETA it has not run: no side effect, and the worker discarded it.
    @Test(.timeLimit(.minutes(3))) func queueAndInspectSourcesAndARevokedWaitingTaskNeverRuns() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let effects = try Celery.temporaryDirectory("backfill-revoke")
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "bfrev", sideEffectDirectory: effects)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: redis.url)
        let held = try await celery.sendOne("demo.echo", args: #"[1, "two"]"#, kwargs: #"{"k": [3]}"#, options: #"{"countdown": 60}"#)
        let running = try await celery.sendOne("demo.long_task", args: "[20]")
        let queued = try await celery.send("demo.add", args: "[2, 3]", options: #"{"queue": "parked", "priority": 7}"#, count: 2)
        let eta = try await Self.waitForHeld(redis.url, held)
        _ = try await worker.waitForLog("demo.long_task[\(running)] received")
        // `parked` is bound (declared by the producer) but no worker consumes it.

        let first = try await Celery.retrytop(["snapshot", "--broker", redis.url, "--for", "0"])
        #expect(first.status == 0, "\(first.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let sources = try #require((document["backfill"] as? [String: Any])?["sources"] as? [String: [String: Any]])
        #expect(sources["queue"]?["state"] as? String == "done" && sources["queue"]?["tasks_found"] as? Int == 2, "\(sources)")
        #expect(sources["inspect"]?["state"] as? String == "done", "\(sources)")
        let queues = try #require(document["queues"] as? [String: Any])
        let byQueue = try #require(queues["by_queue"] as? [[String: Any]])
        let parked = try #require(byQueue.first { $0["name"] as? String == "parked" }, "\(queues)")
        #expect(parked["messages"] as? Int == 2 && parked["by_priority_step"] as? [Int] == [0, 0, 2, 0], "\(parked)")
        for id in queued {
            let task = try Snapshot.task(document, id)
            #expect(task["state"] as? String == "PENDING" && task["sources"] as? [String] == ["queue"])
            #expect(task["args"] as? String == "[2, 3]" && task["queue"] as? String == "parked" && task["priority"] as? Int == 7)
        }
        let active = try Snapshot.task(document, running)
        #expect(active["state"] as? String == "STARTED" && active["sources"] as? [String] == ["inspect"], "\(active)")
        #expect(active["worker"] as? String == worker.nodeName && active["args"] as? String == "[20]")
        #expect(Snapshot.attempts(active).first?["started"] is Double)
        let waiting = try Snapshot.task(document, held)
        #expect(waiting["state"] as? String == "RECEIVED" && waiting["sources"] as? [String] == ["unacked", "inspect"], "\(waiting)")
        #expect(waiting["args"] as? String == #"[1, "two"]"# && waiting["worker"] as? String == worker.nodeName)
        #expect(abs((waiting["eta"] as? Double ?? 0) - eta) <= 1)

        let revoke = try await Celery.retrytop(["revoke", held, "--broker", redis.url, "--audit-log", effects.appendingPathComponent("audit.log").path])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let second = try await Celery.retrytop(["snapshot", "--broker", redis.url, "--for", "0"])
        let after = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        let revoked = try Snapshot.task(after, held)
        #expect(revoked["state"] as? String == "REVOKED" && revoked["revoked_by_workers"] as? Bool == true, "\(revoked)")

        // Past its ETA: discarded by the worker, never run.
        let wait = eta - Date().timeIntervalSince1970 + 3
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        _ = try await worker.waitForLog("Discarding revoked task", timeout: .seconds(10))
        #expect(!FileManager.default.fileExists(atPath: effects.appendingPathComponent("\(held).json").path))
        #expect(try Self.heldETA(redis.url, held) == nil)
    }

    /// Redis alone, loaded with a real `unacked` entry of the p16 capture: the prefixed hash is read with
    /// `--global-keyprefix`, an unreachable result backend fails on its own, and requeue finds the same
    /// entry's exact arguments through the shared task-message parser.
    @Test(.timeLimit(.minutes(1))) func prefixedUnackedIsReadAndAnUnreachableBackendFailsAlone() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let capture = try BackfillParsingFixture.unacked()
        let id = "8426fe4a-c52e-4484-9113-d85f5f7c3d9c"
        let (tag, entry) = try #require(capture.first { String(decoding: $0.value, as: UTF8.self).contains(id) })
        let client = ControlClient(url: try BrokerURL(parsing: redis.url))
        defer { client.close() }
        _ = try client.command([Array("HSET".utf8), Array("pfx:unacked".utf8), Array(tag.utf8), entry]).checked()
        _ = try client.command([Array("HSET".utf8), Array("unacked".utf8), Array(tag.utf8), entry]).checked()

        let result = try await Celery.retrytop([
            "snapshot", "--broker", redis.url, "--global-keyprefix", "pfx:", "--result-backend", "redis://127.0.0.1:1/1",
            "--for", "0", "--visibility-timeout", "10",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sources = try #require((document["backfill"] as? [String: Any])?["sources"] as? [String: [String: Any]])
        #expect(sources["unacked"]?["state"] as? String == "done")
        #expect(sources["unacked"]?["tasks_found"] as? Int == 1)
        #expect(sources["result_backend"]?["state"] as? String == "failed")
        #expect((sources["result_backend"]?["error"] as? String)?.contains("redis://127.0.0.1:1/1") == true, "\(sources)")
        let task = try Snapshot.task(document, id)
        #expect(task["state"] as? String == "RETRY" && task["retries"] as? Int == 1 && task["name"] as? String == "app.backoff")
        #expect(task["next_attempt_at"] as? Double == ISO8601.epoch("2026-12-02T10:59:01.952093+00:00"))
        #expect(task["args"] as? String == "[7]" && task["priority"] as? Int == 0)
        // Its ETA is in the past here, so a 10 s visibility timeout does not flag it.
        #expect(task["redelivery_expected"] as? Bool == false)

        let dry = try await Celery.retrytop(["requeue", id, "--dry-run", "--broker", redis.url, "--inspect-timeout", "0"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let preview = try Celery.json(dry.stdout)
        #expect((preview["sources"] as? [String: Int])?["unacked"] == 1, "\(preview)")
    }
}

/// The p16 capture's `unacked` entries, re-encoded as the JSON bytes kombu stores.
enum BackfillParsingFixture {
    static func unacked() throws -> [String: [UInt8]] {
        let data = try Data(contentsOf: WireFixture.url("p16_unacked_snapshot.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(object["unacked"] as? [String: Any])
        return try entries.mapValues { Array(try JSONSerialization.data(withJSONObject: $0)) }
    }
}
