import Actions
import AuditFile
import Foundation
import Monitor
import Testing

/// `AuditLog.requeuedCopies(of:)`: the one reader of earlier requeues in the audit log (no Redis needed).
@Suite struct AuditLogRequeuedTests {
    static func log(_ lines: [String]) throws -> AuditLog {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-audit-\(UUID().uuidString).log").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return AuditLog(path: path)
    }

    @Test func readsTheCopiesOfRequeueLinesOnlyForTheAskedIds() throws {
        let writer = AuditLog(path: "/unused")
        // A bulk requeue of a, b, c: the intent plans copies of a and b (c refused); only a's send record was
        // written before the run died, so b's planned copy never went out.
        var intent = AuditRecord(id: "i1", phase: .intent, action: "requeue", broker: "redis://x", taskIDs: ["a", "b", "c"])
        intent.newIDs = [("a", "a2"), ("b", "b2")]
        intent.refused = [("c", "no exact arguments")]
        var send = AuditRecord(id: "s1", phase: .send, refersTo: "i1", action: "requeue", broker: "redis://x", taskIDs: ["a"])
        send.newIDs = [("a", "a2")]
        let revoke = AuditRecord(id: "i2", phase: .intent, action: "revoke", broker: "redis://x", taskIDs: ["d"])
        // A later run that finished: its result lists the copy of e.
        var result = AuditRecord(id: "r3", phase: .result, refersTo: "i3", action: "requeue", broker: "redis://x", taskIDs: ["e"])
        result.newIDs = [("e", "e3")]
        var again = AuditRecord(id: "s4", phase: .send, refersTo: "i4", action: "requeue", broker: "redis://x", taskIDs: ["a"])
        again.newIDs = [("a", "a4")]
        let log = try Self.log([
            writer.line(intent, time: 1), writer.line(send, time: 1), "{not json", writer.line(revoke, time: 2), "",
            writer.line(result, time: 3), writer.line(again, time: 4), #"{"action":"requeue","new_ids":{"d":7}}"#,
        ])
        #expect(log.requeuedCopies(of: ["a", "b", "c", "d", "e", "f"]) == ["a": "a4", "e": "e3"])
        #expect(log.requeuedCopies(of: ["b"]).isEmpty, "an intent plans copies; only send and result records count")
        #expect(log.requeuedCopies(of: ["c"]).isEmpty, "a refused task was not requeued")
        #expect(log.requeuedCopies(of: []).isEmpty)
    }

    @Test func aMissingLogIsNoHistory() {
        let log = AuditLog(path: "/nonexistent/retrytop/audit.log")
        #expect(log.requeuedCopies(of: ["a"]).isEmpty)
    }
}
