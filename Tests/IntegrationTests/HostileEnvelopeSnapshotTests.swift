import Foundation
import Monitor
import RedisLink
import Testing
import TestSupport

/// Issue 10 end to end: hostile envelopes published on a real redis-server at a running
/// `retrytop snapshot`: it exits 0, counts each kind of bad value, folds the good events and prints
/// the JSON with controls escaped. Fails (never skips) when redis-server is missing.
@Suite(.serialized) struct HostileEnvelopeSnapshotTests {
    static let time = 1_795_696_000.25
    static let good = "0b7c5a3e-4f1d-4c2b-9a8e-2d6f0e1c3b4a"

    static func envelope(_ body: [UInt8]) -> [UInt8] {
        Array(#"{"body": "\#(Base64.encode(body))", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"hostname": "celery@w1"}, "properties": {"body_encoding": "base64", "delivery_mode": 1}}"#.utf8)
    }

    static func event(_ type: String, _ id: String, _ extra: String = "", timestamp: String = "\(time)") -> String {
        #"{"type": "\#(type)", "hostname": "celery@w1", "timestamp": \#(timestamp), "clock": 3, "uuid": "\#(id)"\#(extra)}"#
    }

    @Test(.timeLimit(.minutes(2))) func hostileEnvelopesAreCountedAndTheGoodEventsFolded() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("snapshot.json")
        let process = try BackgroundProcess(
            executable: RepoPaths.retrytopBinary.path, arguments: ["snapshot", "--broker", redis.url, "--for", "4"],
            outputFile: output, errorFile: directory.appendingPathComponent("stderr.txt"))
        try await Task.sleep(for: .milliseconds(1_200))

        let publisher = RedisConnection(url: try BrokerURL(parsing: redis.url), timeouts: .init(connect: 1, io: 5))
        try publisher.connect()
        defer { publisher.close() }
        let good = Self.good
        let bodies: [[UInt8]] = [
            Array(Self.event("task-received", "bad-ts", timestamp: "1e19").utf8),
            Array(Self.event("task-received", "bad-ts-2", timestamp: "-1e19").utf8),
            Array(Self.event("task-started", "bad-ts-3", timestamp: "1e308").utf8),
            // A batch with junk items around good events, one carrying hostile numbers and a bidi control.
            Array(("[1, " + Self.event("task-received", good, #", "name": "app.fetch", "retries": -5, "eta": 1e308, "args": "('"# + "\u{202E}" + #"x',)""#)
                + #", "junk", null, "# + Self.event("task-started", good, #", "pid": 1e19"#) + "]").utf8),
            Array(#"{"type": "task-received", "hostname": "celery@w1", "timestamp": 1795696000.5, "name": "app.x", "uuid": "id-"#.utf8)
                + [0xFF] + Array(#""}"#.utf8),
            Array(#"{"type": "task-received", "hostname": "celery@w1", "timestamp": 1795696000.5, "name": "app.x", "uuid": "id-"#.utf8)
                + [0xFE] + Array(#""}"#.utf8),
        ]
        for body in bodies {
            try publisher.command([Array("PUBLISH".utf8), Array("/0.celeryev/task.multi".utf8), Self.envelope(body)]).checked()
        }

        let exited = await process.waitForExit(timeout: .seconds(30))
        #expect(exited, "snapshot did not exit")
        #expect(process.exitStatus == 0, "snapshot failed: \(process.errorOutput())")
        let data = try Data(contentsOf: output)
        #expect(!String(decoding: data, as: UTF8.self).unicodeScalars.contains { $0.value == 0x202E }, "a raw bidi control in the JSON")
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let stats = try #require(document["stats"] as? [String: Any])
        #expect(stats["messages"] as? Int == bodies.count)
        #expect(stats["out_of_range"] as? Int == 5)  // three timestamps, retries + eta, pid
        #expect(stats["invalid_utf8_ids"] as? Int == 2)
        let byKind = try #require(stats["malformed_by_kind"] as? [String: Any])
        #expect(byKind["batch_item"] as? Int == 3 && byKind["fields"] as? Int == 3 && byKind["json"] as? Int == 0)
        let tasks = try #require(document["tasks"] as? [[String: Any]])
        #expect(Set(tasks.compactMap { $0["id"] as? String }) == [good, #"id-\xff"#, #"id-\xfe"#])
        let folded = try #require(tasks.first { $0["id"] as? String == good })
        #expect(folded["state"] as? String == "STARTED" && folded["name"] as? String == "app.fetch")
        #expect(folded["eta"] is NSNull && folded["args"] as? String == "('\u{202E}x',)")
    }
}
