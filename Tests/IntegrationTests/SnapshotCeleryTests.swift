import Foundation
import Monitor
import RedisLink
import Testing
import TestSupport

/// `retrytop snapshot` against a real redis-server and a real Celery worker running the retry-guide tasks.
@Suite(.serialized) struct SnapshotCeleryTests {
    /// Runs `retrytop snapshot` in the background and returns the parsed document once it exits.
    static func snapshot(broker: String, seconds: Int, while body: () async throws -> Void) async throws -> [String: Any] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-snap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("snapshot.json")
        let process = try BackgroundProcess(
            executable: RepoPaths.retrytopBinary.path, arguments: ["snapshot", "--broker", broker, "--for", String(seconds)],
            outputFile: output, errorFile: directory.appendingPathComponent("stderr.txt"))
        try await Task.sleep(for: .milliseconds(800))
        try await body()
        let exited = await process.waitForExit(timeout: .seconds(seconds + 30))
        #expect(exited, "snapshot did not exit")
        #expect(process.exitStatus == 0, "snapshot failed: \(process.errorOutput())")
        let data = try Data(contentsOf: output)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "not JSON: \(String(decoding: data, as: UTF8.self).prefix(300))")
    }

    static func task(_ document: [String: Any], _ id: String) throws -> [String: Any] {
        let tasks = try #require(document["tasks"] as? [[String: Any]])
        return try #require(tasks.first { $0["id"] as? String == id }, "task \(id) missing from snapshot")
    }

    static func attempts(_ task: [String: Any]) -> [[String: Any]] { task["attempts"] as? [[String: Any]] ?? [] }

    @Test(.timeLimit(.minutes(3))) func snapshotMatchesWhatCeleryDid() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        // A non-default broker db: events arrive on /3.celeryev/*.
        let broker = redis.url(db: 3)
        let worker = try await CeleryWorkerProcess.start(brokerURL: broker, name: "snap", queues: ["celery", "other"], concurrency: 4)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: broker)
        var ids: [String: String] = [:]
        let document = try await Self.snapshot(broker: broker, seconds: 22) {
            ids["backoff"] = try await celery.sendOne("demo.backoff_always_fails", args: "[9]")
            ids["manual"] = try await celery.sendOne("demo.manual_retry", args: "[1, 3]")
            ids["permanent"] = try await celery.sendOne("demo.permanent_failure", args: "[5]")
            ids["add"] = try await celery.sendOne("demo.add", args: "[2, 3]")
            ids["other"] = try await celery.sendOne("demo.on_other_queue", args: "[4]")
        }
        let connection = try #require(document["connection"] as? [String: Any])
        #expect(connection["phase"] as? String == "connected")
        #expect(connection["pattern"] as? String == "/3.celeryev/*")
        let stats = try #require(document["stats"] as? [String: Any])
        #expect(stats["malformed"] as? Int == 0 && stats["unknown"] as? Int == 0)
        #expect((stats["events"] as? Int ?? 0) > 20)

        // autoretry_for + retry_backoff (no jitter), retry_backoff_max=4, max_retries=3: waits 1 s, 2 s, 4 s, then FAILURE.
        let backoff = try Self.task(document, try #require(ids["backoff"]))
        #expect(backoff["name"] as? String == "demo.backoff_always_fails")
        #expect(backoff["state"] as? String == "FAILURE")
        #expect(backoff["retries"] as? Int == 3)
        #expect(backoff["args"] as? String == "(9,)")
        let backoffAttempts = Self.attempts(backoff)
        #expect(backoffAttempts.map { $0["number"] as? Int } == [1, 2, 3, 4])
        #expect(backoffAttempts.map { $0["outcome"] as? String } == ["RETRY", "RETRY", "RETRY", "FAILURE"])
        for (index, attempt) in backoffAttempts.enumerated() {
            #expect((attempt["exception"] as? String)?.contains("BackoffError('always fails: attempt \(index + 1)')") == true, "\(attempt)")
            #expect((attempt["worker"] as? String)?.hasPrefix("snap@") == true)
            #expect(attempt["started"] is Double && attempt["ended"] is Double && attempt["received"] is Double)
        }
        for (index, expected) in [1.0, 2.0, 4.0].enumerated() {
            let ended = try #require(backoffAttempts[index]["ended"] as? Double)
            let retryAt = try #require(backoffAttempts[index]["retry_at"] as? Double)
            #expect(abs(retryAt - ended - expected) < 0.5, "attempt \(index + 1): retry_at - ended = \(retryAt - ended), countdown \(expected)")
            let nextStarted = try #require(backoffAttempts[index + 1]["started"] as? Double)
            #expect(nextStarted >= retryAt - 0.2)
        }

        // Manual self.retry(countdown=2), succeeding on attempt 3.
        let manual = try Self.task(document, try #require(ids["manual"]))
        #expect(manual["state"] as? String == "SUCCESS")
        #expect(manual["retries"] as? Int == 2)
        let manualAttempts = Self.attempts(manual)
        #expect(manualAttempts.map { $0["outcome"] as? String } == ["RETRY", "RETRY", "SUCCESS"])
        #expect((manualAttempts.first?["exception"] as? String)?.contains("FlakyError") == true)
        for index in 0..<2 {
            let ended = try #require(manualAttempts[index]["ended"] as? Double)
            let retryAt = try #require(manualAttempts[index]["retry_at"] as? Double)
            #expect(abs(retryAt - ended - 2) < 0.5)
        }

        let permanent = try Self.task(document, try #require(ids["permanent"]))
        #expect(permanent["state"] as? String == "FAILURE")
        #expect(permanent["retries"] as? Int == 0)
        #expect(Self.attempts(permanent).count == 1)
        #expect((Self.attempts(permanent).first?["exception"] as? String)?.hasPrefix("ValueError(") == true)
        #expect((Self.attempts(permanent).first?["traceback"] as? String)?.contains("Traceback") == true)

        let add = try Self.task(document, try #require(ids["add"]))
        #expect(add["state"] as? String == "SUCCESS" && add["result"] as? String == "5" && add["args"] as? String == "(2, 3)")
        #expect(Self.attempts(add).map { $0["outcome"] as? String } == ["SUCCESS"])

        let other = try Self.task(document, try #require(ids["other"]))
        #expect(other["state"] as? String == "SUCCESS")
        #expect(other["queue"] as? String == "other")

        let workers = try #require(document["workers"] as? [[String: Any]])
        let snapWorker = try #require(workers.first { ($0["hostname"] as? String)?.hasPrefix("snap@") == true })
        #expect(snapWorker["online"] as? Bool == true)
        #expect(snapWorker["last_heartbeat"] is Double)
        let rates = try #require(document["rates"] as? [String: Any])
        let byName = try #require(rates["by_name"] as? [String: Any])
        let backoffRates = try #require(byName["demo.backoff_always_fails"] as? [String: Any])
        let fiveMinutes = try #require(backoffRates["5m"] as? [String: Any])
        #expect(fiveMinutes["retried"] as? Int == 3 && fiveMinutes["failed"] as? Int == 1)
    }

    @Test(.timeLimit(.minutes(2))) func snapshotSurvivesARedisRestartAndReportsTheGap() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let url = try BrokerURL(parsing: redis.url)
        let before = try WireFixture.eventEnvelopes("p2")
        let after = try WireFixture.eventEnvelopes("p3")
        let document = try await Self.snapshot(broker: redis.url, seconds: 10) {
            try Self.publish(before, url: url)
            try await redis.restart()
            // The subscriber backs off and resubscribes; publish once it is back.
            try await Task.sleep(for: .seconds(3))
            try Self.publish(after, url: url)
        }
        let connection = try #require(document["connection"] as? [String: Any])
        #expect(connection["phase"] as? String == "connected")
        #expect(connection["reconnects"] as? Int == 1)
        let gaps = try #require(connection["gaps"] as? [[String: Any]])
        #expect(gaps.count == 1)
        let gap = try #require(gaps.first)
        let from = try #require(gap["from"] as? Double)
        let to = try #require(gap["to"] as? Double)
        #expect(to >= from && to - from < 8)
        #expect((gap["reason"] as? String)?.isEmpty == false)
        // State from before the restart is kept, and events after it are folded too.
        let tasks = try #require(document["tasks"] as? [[String: Any]])
        let ids = Set(tasks.compactMap { $0["id"] as? String })
        #expect(ids.contains { $0.hasPrefix("68661b92") })
        #expect(tasks.first { ($0["id"] as? String)?.hasPrefix("68661b92") == true }?["state"] as? String == "FAILURE")
        #expect(ids.count > 150, "p3's burst arrived after the restart: \(ids.count) tasks")
    }

    static func publish(_ messages: [WireFixture.Message], url: BrokerURL) throws {
        let connection = RedisConnection(url: url)
        try connection.connect()
        defer { connection.close() }
        for message in messages {
            let reply = try connection.command([Array("PUBLISH".utf8), Array(message.channel.utf8), message.payload])
            #expect(reply.integer == 1, "no subscriber for \(message.channel)")
        }
    }
}
