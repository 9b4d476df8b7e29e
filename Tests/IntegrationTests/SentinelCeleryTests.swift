import Foundation
import Testing
import TestSupport

/// retrytop against a real Sentinel deployment (a master, a replica, one sentinel) with a real Celery
/// worker on `sentinel://`: `SENTINEL FAILOVER` mid-stream is followed within seconds, events sent after
/// it are seen, the gap names the failover, and a revoke after it reaches the worker through the new master.
/// Celery's `sentinel://` result backend is found through the sentinel the same way (backfill and requeue).
@Suite(.serialized) struct SentinelCeleryTests {
    static let workerEnvironment = ["RETRYTOP_MASTER_NAME": SentinelSet.masterName]

    @Test(.timeLimit(.minutes(3))) func followsAFailoverMidStreamAndActsOnTheNewMaster() async throws {
        let set = try await SentinelSet.start()
        defer { set.kill() }
        let broker = set.brokerURL()
        let oldPort = set.master.port
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: broker, name: "sentinel", concurrency: 2, environment: Self.workerEnvironment)
        defer { worker.kill() }
        let directory = try ActionsCeleryTests.temporaryDirectory("sentinel")
        let output = directory.appendingPathComponent("snapshot.json")
        let snapshot = try BackgroundProcess(
            executable: try RequiredTool.retrytop.path(),
            arguments: ["snapshot", "--broker", broker, "--master-name", SentinelSet.masterName, "--for", "40"],
            unsetting: ["CELERY_BROKER_URL"], outputFile: output, errorFile: directory.appendingPathComponent("stderr.txt"))
        defer { snapshot.kill() }
        try await Task.sleep(for: .milliseconds(1_500))
        let celery = CeleryCall(brokerURL: broker, environment: Self.workerEnvironment)
        let before = try await celery.sendOne("demo.add", args: "[1, 2]")
        try await worker.waitForLog(before)

        // Mid-stream: the worker still publishes to the old master until Sentinel demotes it.
        let newPort = try await set.failover()
        let switchedAt = Date().timeIntervalSince1970
        #expect(newPort == set.replica.port)
        let demotion = ContinuousClock.now
        while SentinelSet.role(port: oldPort) != "slave", ContinuousClock.now - demotion < .seconds(30) {
            try await Task.sleep(for: .milliseconds(100))
        }
        let demotedAfter = ContinuousClock.now - demotion
        #expect(SentinelSet.role(port: oldPort) == "slave")

        // The worker reconnects through the sentinel; tasks sent now go through the new master.
        let after = try await celery.sendOne("demo.add", args: "[5, 6]")
        try await worker.waitForLog(after, timeout: .seconds(60))

        // A revoke after the failover reaches the worker (its pidbox is on the new master now).
        let waiting = try await celery.sendOne("demo.slow_fixed_retry", args: "[3]")
        try await worker.waitForLog(waiting)
        let audit = directory.appendingPathComponent("audit.log")
        let revoked = try await ActionsCeleryTests.retrytop(
            ["revoke", waiting, "--broker", broker, "--master-name", SentinelSet.masterName, "--audit-log", audit.path])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let revokeOutput = try ActionsCeleryTests.json(revoked.stdout)
        #expect(revokeOutput["receivers"] as? Int == 1, "\(revokeOutput)")
        #expect((revokeOutput["replies"] as? [String: String])?.values.first?.contains("flagged as revoked") == true, "\(revokeOutput)")

        #expect(await snapshot.waitForExit(timeout: .seconds(60)), "snapshot did not exit")
        #expect(snapshot.exitStatus == 0, "\(snapshot.errorOutput())")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any], "\(snapshot.errorOutput())")
        let connection = try #require(document["connection"] as? [String: Any])
        #expect(connection["phase"] as? String == "connected")
        #expect(connection["master"] as? String == "127.0.0.1:\(newPort)")
        let failover = try #require(connection["last_failover"] as? [String: Any], "\(connection)")
        #expect(failover["from"] as? String == "127.0.0.1:\(oldPort)" && failover["to"] as? String == "127.0.0.1:\(newPort)")
        let at = try #require(failover["at"] as? Double)
        let followedAt = try #require(failover["followed_at"] as? Double)
        // Followed within a few seconds of the sentinel naming the new master.
        #expect(followedAt - switchedAt < 3, "followed \(followedAt - switchedAt) s after the switch")
        #expect(failover["old_master_closed_at"] is Double, "the old master was read until it cut us: \(failover)")
        let gaps = try #require(connection["gaps"] as? [[String: Any]])
        #expect(gaps.contains { ($0["reason"] as? String)?.hasPrefix("failover 127.0.0.1:\(oldPort)\u{2192}127.0.0.1:\(newPort)") == true }, "\(gaps)")
        let tasks = try #require(document["tasks"] as? [[String: Any]])
        #expect(tasks.contains { $0["id"] as? String == before && $0["state"] as? String == "SUCCESS" })
        #expect(tasks.contains { $0["id"] as? String == after && $0["state"] as? String == "SUCCESS" }, "the task sent after the failover was not seen")
        let oldClosed = failover["old_master_closed_at"] as? Double ?? .nan
        print("sentinel failover: switch noticed at +\(String(format: "%.2f", at - switchedAt)) s, followed at +\(String(format: "%.2f", followedAt - switchedAt)) s, "
            + "old master demoted after \(demotedAfter), old master read until +\(String(format: "%.2f", oldClosed - switchedAt)) s "
            + "(\(failover["old_master_messages"] ?? "?") messages after the switch)")
    }

    /// A failure stored by a worker whose `result_backend` is `sentinel://` (with
    /// `result_backend_transport_options={'master_name': …}`) is backfilled from the master the sentinel names
    /// and requeued with its exact arguments from there.
    @Test(.timeLimit(.minutes(3))) func aSentinelResultBackendIsBackfilledAndRequeuedWithExactArguments() async throws {
        typealias Celery = ActionsCeleryTests
        let set = try await SentinelSet.start()
        defer { set.kill() }
        let broker = set.brokerURL()
        let backend = set.brokerURL(db: 1)
        let effects = try Celery.temporaryDirectory("sentinel-results")
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: broker, name: "sentinelresults", resultBackendURL: backend, resultExtended: true,
            sideEffectDirectory: effects, environment: Self.workerEnvironment)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: broker, resultBackendURL: backend, environment: Self.workerEnvironment)
        let failed = try await celery.sendOne("demo.echo", args: Celery.nestedArgs, kwargs: Celery.nestedKwargs)
        // The record is on the master the sentinel names (read there directly, not through retrytop).
        try await Celery.waitForStatus(set.master.url(db: 1), [failed], "FAILURE")
        let original = try await Celery.waitForFile(effects.appendingPathComponent("\(failed).json"))

        // Backfill: the backend's master name defaults to the broker's --master-name.
        let result = try await Celery.retrytop([
            "snapshot", "--broker", broker, "--master-name", SentinelSet.masterName, "--result-backend", backend, "--for", "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sources = try #require((document["backfill"] as? [String: Any])?["sources"] as? [String: [String: Any]])
        #expect(sources["result_backend"]?["state"] as? String == "done", "\(sources)")
        #expect(sources["result_backend"]?["tasks_found"] as? Int == 1, "\(sources)")
        let task = try SnapshotCeleryTests.task(document, failed)
        #expect(task["name"] as? String == "demo.echo")
        #expect(task["state"] as? String == "FAILURE")
        #expect(task["sources"] as? [String] == ["result_backend"], "\(task)")

        // Requeue: the exact arguments come from the Sentinel backend (its master named explicitly this time).
        let audit = effects.appendingPathComponent("audit.log")
        let requeueArguments = [
            "requeue", failed, "--audit-log", audit.path, "--broker", broker, "--master-name", SentinelSet.masterName,
            "--result-backend", backend, "--result-backend-master-name", SentinelSet.masterName, "--inspect-timeout", "0",
        ]
        let preview = try await Celery.retrytop(requeueArguments + ["--dry-run"])
        #expect(preview.status == 0, "\(preview.stderr)")
        let plan = try Celery.json(preview.stdout)
        #expect((plan["result_backend"] as? String)?.hasSuffix(" master \(SentinelSet.masterName)") == true, "\(plan)")
        #expect((plan["tasks"] as? [[String: Any]])?.first?["source"] as? String == "result_backend", "\(plan)")
        let requeue = try await Celery.retrytop(requeueArguments)
        #expect(requeue.status == 0, "\(requeue.stderr)")
        let copyID = try #require(((try Celery.json(requeue.stdout))["tasks"] as? [[String: Any]])?.first?["new_id"] as? String)
        let copy = try await Celery.waitForFile(effects.appendingPathComponent("\(copyID).json"))
        #expect(copy == original)
    }
}
