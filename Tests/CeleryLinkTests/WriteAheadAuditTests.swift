import Actions
import AuditFile
import CeleryLink
import Dashboard
import Foundation
import Monitor
import RedisLink
import Runtime
import TestSupport
import Testing

/// Every action is recorded before it is sent, and refused when it cannot be recorded.
@Suite struct WriteAheadAuditTests {
    static func executor(_ broker: RecordingBroker, trail: (any AuditTrail)?) -> ActionExecutor {
        ActionExecutor(
            broker: broker, finder: ArgumentFinder(broker: broker, resultBackend: nil, inspectTimeout: 0),
            configuration: .init(auditTrail: trail, brokerDescription: "redis://127.0.0.1:6379/0"))
    }

    static func preview(_ count: Int) -> RequeuePreview {
        RequeuePreview(
            plans: (0..<count).map {
                RequeuePlan(originalID: "orig-\($0)", name: "app.flaky", args: "[\($0)]", kwargs: "{}", source: .resultBackend, queue: "celery")
            },
            refusals: [RequeueRefusal(id: "no-args", reason: "no exact arguments")])
    }

    /// A path no one can create: its parent is a regular file (root included).
    static func unwritablePath() throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-audit-\(UUID().uuidString)")
        try Data("not a directory".utf8).write(to: file)
        return file.path + "/audit.log"
    }

    @Test func anUnwritableAuditLogRefusesRevokeAndSendsNothing() throws {
        let broker = RecordingBroker()
        let log = AuditLog(path: try Self.unwritablePath())
        #expect(throws: ActionError.auditUnwritable(AuditTrailError(location: log.path, reason: "Not a directory"))) {
            try Self.executor(broker, trail: log).revoke(RevokeRequest(ids: ["a", "b"], terminate: true))
        }
        #expect(broker.sent.isEmpty)
        let message = "\(ActionError.auditUnwritable(AuditTrailError(location: log.path, reason: "Not a directory")))"
        #expect(message == "cannot write the audit log \(log.path): Not a directory; nothing was sent (every action is recorded before it is sent)")
    }

    /// `--audit-log /dev/null` is the user's choice to keep no log: fsync of a special file says EINVAL,
    /// which must not refuse the action (a regular file that cannot sync still does).
    @Test func devNullAsTheAuditLogAcceptsRecords() throws {
        let log = AuditLog(path: "/dev/null")
        try log.append(AuditRecord(id: "r", phase: .intent, action: "revoke", broker: "redis://x", taskIDs: ["a"]))
    }

    @Test func anUnwritableAuditLogRefusesRequeueAndSendsNothing() throws {
        let broker = RecordingBroker()
        let log = AuditLog(path: try Self.unwritablePath())
        #expect(throws: ActionError.self) { try Self.executor(broker, trail: log).startRequeue(Self.preview(3), pace: .unpaced) }
        #expect(broker.sent.isEmpty)
    }

    @Test func aFailingTrailRefusesEveryActionThroughThePort() {
        let broker = RecordingBroker()
        let trail = RecordingAuditTrail(location: "/var/log/x", failing: "Read-only file system")
        let executor = Self.executor(broker, trail: trail)
        #expect(throws: ActionError.auditUnwritable(AuditTrailError(location: "/var/log/x", reason: "Read-only file system"))) {
            try executor.revoke(RevokeRequest(ids: ["a"]))
        }
        #expect(throws: ActionError.self) { try executor.requeue(RequeueRequest(subjects: [RequeueSubject(id: "a")], pace: .unpaced)) }
        #expect(!broker.sent.contains { if case .push = $0 { true } else { false } })
        #expect(!broker.sent.contains(.broadcast(method: "revoke")))
    }

    @Test func theDashboardSaysSoOnTheStatusLineAndSendsNothing() throws {
        let broker = RecordingBroker()
        let trail = RecordingAuditTrail(location: "/srv/audit.log", failing: "Permission denied")
        let runner = EffectRunner(actions: Self.executor(broker, trail: trail))
        var state = AppState()
        for effect in [Effect.revoke(RevokeRequest(ids: ["a"])), .startRequeue(Self.preview(2), .unpaced)] {
            runner.perform(effect)
            var results: [CommandResult] = []
            for _ in 0..<400 where results.isEmpty {
                usleep(5_000)
                results = runner.collect()
            }
            for result in results { _ = update(&state, .commandFinished(result)) }
            let status = try #require(state.status)
            #expect(status.severity == .error)
            #expect(status.text.hasSuffix(
                "failed: cannot write the audit log /srv/audit.log: Permission denied; nothing was sent (every action is recorded before it is sent)"),
                "\(status.text)")
        }
        runner.shutdown()
        #expect(broker.sent.isEmpty)
    }

    @Test func aRevokeIsRecordedBeforeItIsBroadcastAndItsResultAfter() throws {
        let broker = RecordingBroker()
        let sentWhenRecorded = Collected<Int>()
        let trail = RecordingAuditTrail { _ in sentWhenRecorded.append(broker.sent.count) }
        _ = try Self.executor(broker, trail: trail).revoke(RevokeRequest(ids: ["a", "b"]))
        let records = trail.records
        #expect(records.map(\.phase) == [.intent, .result])
        #expect(sentWhenRecorded.values == [0, 1], "intent before the broadcast, result after")
        #expect(records[0].taskIDs == ["a", "b"] && records[1].refersTo == records[0].id)
    }

    @Test func aBulkRequeueRecordsEveryMessageWithItsNewIDBeforePushingIt() throws {
        let broker = RecordingBroker()
        let pushedWhenRecorded = Collected<(record: AuditRecord, pushed: [String?])>()
        let trail = RecordingAuditTrail { record in
            let pushed = broker.sent.compactMap { if case .push(_, let id) = $0 { id } else { nil } }
            pushedWhenRecorded.append((record, pushed))
        }
        let run = try Self.executor(broker, trail: trail).startRequeue(Self.preview(5), pace: .unpaced)
        #expect(run.wait(timeout: 10))
        let records = trail.records
        #expect(records.map(\.phase) == [.intent] + Array(repeating: .send, count: 5) + [.result])
        let intent = records[0]
        #expect(intent.newIDs.map(\.original) == (0..<5).map { "orig-\($0)" }, "every new id is generated and recorded up front")
        #expect(intent.refused.map(\.id) == ["no-args"])
        let pushed = broker.sent.compactMap { if case .push(_, let id) = $0 { id } else { nil } }
        #expect(pushed == intent.newIDs.map(\.copy))
        for (index, entry) in pushedWhenRecorded.values.enumerated() where entry.record.phase == .send {
            #expect(entry.record.refersTo == intent.id)
            #expect(entry.record.newIDs.map(\.copy) == [pushed[index - 1]])
            #expect(entry.pushed.count == index - 1, "record \(index) written before its message was pushed")
        }
        #expect(records.last?.refersTo == intent.id && records.last?.newIDs.count == 5)
    }

    @Test func aRecordThatCannotBeWrittenMidRunStopsTheRunBeforeThatMessage() throws {
        let broker = RecordingBroker()
        // The intent and two send records are written; the third send record is not.
        let trail = RecordingAuditTrail(failing: "No space left on device", failAfter: 3)
        let run = try Self.executor(broker, trail: trail).startRequeue(Self.preview(5), pace: .unpaced)
        #expect(run.wait(timeout: 10))
        let progress = run.progress
        #expect(broker.sent.count == 2 && progress.sent == 2)
        #expect(progress.aborted)
        #expect(progress.stopReason?.contains("No space left on device") == true)
        #expect(progress.stopReason?.contains("orig-2") == true)
    }

    @Test func theAuditLogFileIsFlushedAndPrivate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-audit-\(UUID().uuidString)")
        let path = root.appendingPathComponent("state/retrytop/audit.log").path
        let log = AuditLog(path: path, clock: { 1_795_696_000 })
        let broker = RecordingBroker()
        _ = try Self.executor(broker, trail: log).revoke(RevokeRequest(ids: ["a"]))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"phase\":\"intent\"") && lines[1].contains("\"phase\":\"result\""))
        let mode = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1 }
        #expect(mode(path) == 0o600)
        #expect(mode(root.appendingPathComponent("state/retrytop").path) == 0o700)
        #expect(mode(root.appendingPathComponent("state").path) == 0o700)
        try? FileManager.default.removeItem(at: root)
    }
}

/// Values appended from any thread (the requeue sends on its own).
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value] = []

    func append(_ value: Value) { lock.withLock { stored.append(value) } }

    var values: [Value] { lock.withLock { stored } }
}
