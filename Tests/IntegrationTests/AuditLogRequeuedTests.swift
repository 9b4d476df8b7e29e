import Foundation
import Runtime
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
        var requeue = AuditLog.Entry(action: "requeue", broker: "redis://x", taskIDs: ["a", "b", "c"])
        requeue.newIDs = [("a", "a2"), ("b", "b2")]
        requeue.refused = [("c", "no exact arguments")]
        let revoke = AuditLog.Entry(action: "revoke", broker: "redis://x", taskIDs: ["d"])
        var later = AuditLog.Entry(action: "requeue", broker: "redis://x", taskIDs: ["a"])
        later.newIDs = [("a", "a3")]
        let log = try Self.log([
            writer.line(requeue, time: 1), "{not json", writer.line(revoke, time: 2), "", writer.line(later, time: 3),
            #"{"action":"requeue","new_ids":{"d":7}}"#,
        ])
        #expect(log.requeuedCopies(of: ["a", "b", "c", "d", "e"]) == ["a": "a3", "b": "b2"])
        #expect(log.requeuedCopies(of: ["c"]).isEmpty, "a refused task was not requeued")
        #expect(log.requeuedCopies(of: []).isEmpty)
    }

    @Test func aMissingLogIsNoHistory() {
        let log = AuditLog(path: "/nonexistent/retrytop/audit.log")
        #expect(log.requeuedCopies(of: ["a"]).isEmpty)
    }
}
