import Foundation
import Monitor
import RedisLink
import Testing
import TestSupport

/// `snapshot --from` and `requeue --events` read a recording made by `retrytop events`, and a requeue
/// is done once: against a real redis-server (no worker needed: the copies are counted on the queue's
/// list, where a worker would take them from).
@Suite(.serialized) struct HeadlessRecordingTests {
    /// A recording of one task that failed for good, with complete argument reprs.
    static func recording(id: String) -> String {
        """
        {"type":"task-received","hostname":"w1@vm","timestamp":1796217975.5,"clock":3,"pid":1,"uuid":"\(id)","name":"demo.echo","args":"(7, 'seven', [1.5, None])","kwargs":"{'fail': True}","retries":0,"routing_key":"celery"}
        {"type":"task-started","hostname":"w1@vm","timestamp":1796217975.6,"clock":4,"pid":1,"uuid":"\(id)"}
        {"type":"task-failed","hostname":"w1@vm","timestamp":1796217975.9,"clock":5,"pid":1,"uuid":"\(id)","exception":"ValueError('boom')","traceback":"Traceback (most recent call last):\\nValueError: boom\\n"}

        """
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-rec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func retrytop(_ arguments: [String]) async throws -> ProcessResult {
        try RequiredTool.require(.retrytop)
        return try await ProcessRunner.run(
            RepoPaths.retrytopBinary.path, arguments, unsetting: ["CELERY_RESULT_BACKEND", "CELERY_BROKER_URL"], timeout: .seconds(60))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text.prefix(300))")
    }

    /// LLEN of a list on the test server.
    static func length(_ list: String, redis: RedisServerProcess) throws -> Int64 {
        let connection = RedisConnection(url: try BrokerURL(parsing: redis.url))
        try connection.connect()
        defer { connection.close() }
        return try #require(try connection.command(["LLEN", list]).integer)
    }

    @Test(.timeLimit(.minutes(1))) func snapshotFromARecordingFoldsItDeterministically() async throws {
        let path = WireFixture.url("r9_events.jsonl").path
        let first = try await Self.retrytop(["snapshot", "--from", path])
        #expect(first.status == 0, "\(first.stderr)")
        let document = try Self.json(first.stdout)
        let recording = EventRecording(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let folded = recording.folded(limits: MonitorLimits())
        let tasks = try #require(document["tasks"] as? [[String: Any]])
        #expect(tasks.count == folded.tasks.count && !tasks.isEmpty)
        let stats = try #require(document["stats"] as? [String: Any])
        #expect(stats["events"] as? Int == recording.events.count)
        for task in tasks {
            let id = try #require(task["id"] as? String)
            #expect(task["state"] as? String == folded.tasks[id]?.state.rawValue, "\(id)")
        }
        let second = try await Self.retrytop(["snapshot", "--from", path])
        #expect(second.stdout == first.stdout, "the same recording printed two different documents")
        let missing = try await Self.retrytop(["snapshot", "--from", "/nonexistent/recording.jsonl"])
        #expect(missing.status != 0 && missing.stderr.contains("cannot read --from"))
    }

    @Test(.timeLimit(.minutes(1))) func requeueTakesNamesAndReprsFromARecording() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let directory = try Self.temporaryDirectory()
        let id = UUID().uuidString.lowercased()
        let file = directory.appendingPathComponent("storm.jsonl")
        try Self.recording(id: id).write(to: file, atomically: true, encoding: .utf8)
        let audit = directory.appendingPathComponent("audit.log").path
        let common = ["--broker", redis.url, "--inspect-timeout", "0", "--audit-log", audit]

        let blind = try await Self.retrytop(["requeue", id, "--dry-run"] + common)
        #expect(blind.status != 0, "a dry run where every task is refused must fail: \(blind.stdout)")
        #expect(try Self.json(blind.stdout)["refused"] as? Int == 1)
        #expect(blind.stderr.contains("refused"), "\(blind.stderr)")

        let dry = try await Self.retrytop(["requeue", id, "--dry-run", "--events", file.path] + common)
        #expect(dry.status == 0, "\(dry.stderr)")
        let preview = try Self.json(dry.stdout)
        #expect(preview["would_send"] as? Int == 1, "\(dry.stdout)")
        let plan = try #require((preview["tasks"] as? [[String: Any]])?.first)
        #expect(plan["name"] as? String == "demo.echo" && plan["source"] as? String == "event_repr" && plan["queue"] as? String == "celery")
        #expect(try Self.length("celery", redis: redis) == 0, "a dry run sent something")
    }

    @Test(.timeLimit(.minutes(1))) func aSecondRequeueSendsNothingUnlessForced() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let directory = try Self.temporaryDirectory()
        let id = UUID().uuidString.lowercased()
        let file = directory.appendingPathComponent("storm.jsonl")
        try Self.recording(id: id).write(to: file, atomically: true, encoding: .utf8)
        let audit = directory.appendingPathComponent("audit.log").path
        let common = [id, "--events", file.path, "--broker", redis.url, "--inspect-timeout", "0", "--audit-log", audit]

        let first = try await Self.retrytop(["requeue"] + common)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Self.json(first.stdout)["sent"] as? Int == 1)
        #expect(try Self.length("celery", redis: redis) == 1)

        let dry = try await Self.retrytop(["requeue", "--dry-run"] + common)
        #expect(dry.status == 0, "\(dry.stderr)")
        let preview = try Self.json(dry.stdout)
        #expect(preview["would_send"] as? Int == 0 && preview["already_requeued"] as? Int == 1, "\(dry.stdout)")

        let second = try await Self.retrytop(["requeue"] + common)
        #expect(second.status == 0, "\(second.stderr)")
        let report = try Self.json(second.stdout)
        #expect(report["sent"] as? Int == 0 && report["already_requeued"] as? Int == 1, "\(second.stdout)")
        let skipped = try #require((report["tasks"] as? [[String: Any]])?.first)
        #expect(skipped["status"] as? String == "already_requeued" && skipped["id"] as? String == id)
        #expect(skipped["requeued_before_as"] is String)
        #expect(try Self.length("celery", redis: redis) == 1, "the second requeue sent a duplicate")

        let forced = try await Self.retrytop(["requeue", "--force"] + common)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Self.json(forced.stdout)["sent"] as? Int == 1)
        #expect(try Self.length("celery", redis: redis) == 2)
    }
}
