import Actions
import Foundation
import Monitor
import RedisLink
import Testing
import TestSupport

/// `retrytop requeue|revoke` write each action's audit record before sending it: a bulk requeue killed
/// with SIGKILL leaves a record of every message it pushed, and an audit log that cannot be written
/// means nothing is sent. Real redis-server; the task messages are pushed by the test (no worker needed).
@Suite(.serialized) struct WriteAheadAuditCLITests {
    typealias Celery = ActionsCeleryTests

    /// Pushes `count` protocol-2 messages of `demo.echo` onto `celery`, as apply_async would with no
    /// worker consuming; their arguments are exact (source: queue), so they can be requeued.
    static func pushOriginals(_ count: Int, redis: RedisServerProcess) throws -> [String] {
        let client = ControlClient(url: try BrokerURL(parsing: redis.url))
        defer { client.close() }
        var ids: [String] = []
        for index in 0..<count {
            let id = UUID().uuidString.lowercased()
            let message = TaskMessage(
                id: id, name: "demo.echo", args: "[\(index)]", kwargs: "{}", queue: "celery",
                deliveryTag: UUID().uuidString.lowercased(), origin: "test@harness")
            try client.pushTaskMessage(queue: "celery", priority: nil, message: Array(message.json.utf8))
            ids.append(id)
        }
        return ids
    }

    /// The task ids of the messages on the `celery` list.
    static func queuedIDs(_ redis: RedisServerProcess) throws -> [String] {
        let client = ControlClient(url: try BrokerURL(parsing: redis.url))
        defer { client.close() }
        return try client.lrange("celery").compactMap { try JSONValue.parse($0)["headers"]?["id"]?.stringValue }
    }

    /// Calls of `command` the server has served (`INFO commandstats`), 0 when never called.
    static func calls(_ command: String, _ redis: RedisServerProcess) throws -> Int {
        let client = ControlClient(url: try BrokerURL(parsing: redis.url))
        defer { client.close() }
        let info = try client.command(["INFO", "commandstats"]).text ?? ""
        guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_\(command):") }),
              let calls = line.split(separator: "=").dropFirst().first?.split(separator: ",").first
        else { return 0 }
        return Int(calls) ?? 0
    }

    /// The audit file's records as JSON objects.
    static func records(_ url: URL) throws -> [[String: Any]] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not JSON: \($0)")
        }
    }

    /// A path no one can create (its parent is a regular file), whoever runs the test.
    static func unwritableAuditLog() throws -> String {
        let file = try Celery.temporaryDirectory("unwritable").appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        return file.path + "/audit.log"
    }

    @Test(.timeLimit(.minutes(2))) func aBulkRequeueKilledMidRunLeavesARecordForEveryMessagePushed() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let originals = try Self.pushOriginals(300, redis: redis)
        let directory = try Celery.temporaryDirectory("kill9")
        let audit = directory.appendingPathComponent("audit.log")
        let requeue = try BackgroundProcess(
            executable: RepoPaths.retrytopBinary.path,
            arguments: ["requeue"] + originals + ["--rate", "25", "--inspect-timeout", "0", "--broker", redis.url, "--audit-log", audit.path],
            unsetting: ["CELERY_RESULT_BACKEND", "CELERY_BROKER_URL"], outputFile: directory.appendingPathComponent("out.txt"))
        defer { requeue.kill() }
        // Wait until a few dozen copies are out, then kill it without a chance to write anything more.
        let deadline = ContinuousClock.now + .seconds(60)
        while try Self.queuedIDs(redis).count < originals.count + 30 {
            #expect(requeue.isRunning, "retrytop exited early: \(requeue.output().suffix(1500))")
            if !requeue.isRunning || ContinuousClock.now > deadline { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        requeue.kill()
        #expect(await requeue.waitForExit(timeout: .seconds(10)))

        let copies = Set(try Self.queuedIDs(redis)).subtracting(originals)
        let records = try Self.records(audit)
        let intent = try #require(records.first)
        #expect(intent["phase"] as? String == "intent" && (intent["new_ids"] as? [String: String])?.count == 300)
        let sends = records.filter { $0["phase"] as? String == "send" }
        let recordedCopies = Set(sends.flatMap { ($0["new_ids"] as? [String: String])?.values.map { $0 } ?? [] })
        #expect(copies.count >= 30 && copies.count < 300, "killed mid-run: \(copies.count) copies")
        #expect(copies.isSubset(of: recordedCopies), "\(copies.subtracting(recordedCopies).count) pushed messages have no audit record")
        #expect(sends.count == recordedCopies.count && sends.count <= copies.count + 1, "one record per message, at most one not yet pushed")
        #expect(sends.allSatisfy { $0["refers_to"] as? String == intent["record"] as? String })
        #expect(!records.contains { $0["phase"] as? String == "result" }, "killed: no result record")
    }

    @Test(.timeLimit(.minutes(1))) func anUnwritableAuditLogRefusesRequeueAndRevokeAndSendsNothing() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let originals = try Self.pushOriginals(3, redis: redis)
        let audit = try Self.unwritableAuditLog()
        let requeue = try await Celery.retrytop(["requeue"] + originals + ["--inspect-timeout", "0", "--broker", redis.url, "--audit-log", audit])
        #expect(requeue.status != 0)
        #expect(try Self.queuedIDs(redis) == originals.reversed(), "nothing was pushed")
        #expect(try Self.calls("lpush", redis) == 3, "only the test's own pushes")

        for arguments in [["revoke", originals[0]], ["revoke", originals[0], "--terminate"]] {
            let revoke = try await Celery.retrytop(arguments + ["--reply-timeout", "0.2", "--broker", redis.url, "--audit-log", audit])
            #expect(revoke.status != 0)
            #expect(revoke.stdout.isEmpty)
            #expect(revoke.stderr == "retrytop: cannot write the audit log \(audit): Not a directory; nothing was sent (every action is recorded before it is sent)\n")
        }
        #expect(try Self.calls("publish", redis) == 0, "no pidbox broadcast was published")
        #expect(requeue.stderr.contains("retrytop: cannot write the audit log \(audit): Not a directory; nothing was sent"), "\(requeue.stderr)")
        #expect(!requeue.stderr.contains("NSCocoaErrorDomain") && requeue.stderr.split(separator: "\n").count == 1, "\(requeue.stderr)")
    }
}
