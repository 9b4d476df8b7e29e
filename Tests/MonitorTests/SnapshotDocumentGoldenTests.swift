import Foundation
import Monitor
import Testing
import TestSupport

/// The whole `retrytop snapshot` document of the storm fixture, with every section filled (a failover,
/// gaps on the connection and the journal, backfill reports, queues, decode counters), byte for byte:
/// the schema and its field order are what scripts read, so a change to how the document is written
/// must not change a byte. Re-record with `RETRYTOP_RECORD_SNAPSHOT=1` (that run fails, as goldens do).
@Suite struct SnapshotDocumentGoldenTests {
    static var file: URL { RepoPaths.root.appendingPathComponent("Tests/Fixtures/snapshot/storm.json") }

    static func link() -> LinkStatus {
        let start = StormFixture.start
        var link = StormFixture.link()
        link.connection.reconnects = 2
        link.connection.attempt = 1
        link.connection.reason = "connection reset by peer"
        link.connection.gaps = [
            ConnectionState.Gap(from: start + 100, to: start + 104.5, reason: "connection reset by peer"),
            ConnectionState.Gap(from: start + 600, to: nil, reason: ConnectionState.inboxFullReason),
        ]
        link.connection.master = "10.0.0.6:6379"
        link.connection.lastFailover = Failover(
            from: "10.0.0.5:6379", to: "10.0.0.6:6379", at: start + 300, followedAt: start + 300.25,
            oldMasterClosedAt: start + 310.5, oldMasterMessages: 5)
        link.decodeStats.messages = 1_234
        link.decodeStats.events = 2_000
        link.decodeStats.malformedJSON = 3
        link.decodeStats.unknownTypes = ["task-custom": 2, "a-first": 1]
        link.inboxDropped = 7
        link.inboxOversized = 1
        link.backfill = BackfillStatus(enabled: true, watchingSince: start - 10, reports: [
            BackfillSourceReport(source: .unacked, phase: .done, tasksFound: 12, keysScanned: 12, total: 12, startedAt: start - 10, finishedAt: start - 9.5),
            BackfillSourceReport(source: .resultBackend, phase: .cut, tasksFound: 900, keysScanned: 10_000, total: nil, malformed: 2, limited: true, startedAt: start - 10, finishedAt: start - 4),
            BackfillSourceReport(source: .inspect, phase: .failed, error: "no reply \"within\" 1 s"),
        ])
        link.journal = JournalStatus(mode: .writing, path: "/state/retrytop/journal-10.0.0.5-6379-0.sqlite")
        link.journal.tasksLoaded = 40
        link.journal.oldestRecord = start - 3_600
        link.journal.gaps = [ConnectionState.Gap(from: start - 1_800, to: start - 1_700, reason: "retrytop was not running")]
        link.journal.behind = 3
        link.queues = QueueDepths(queues: [QueueDepth(name: "celery", bySteps: [5, 0, 2, 1]), QueueDepth(name: "emails", bySteps: [0, 0, 0, 0])], readAt: start + 899)
        return link
    }

    @Test func theStormSnapshotIsUnchangedByteForByte() throws {
        // The storm's first 400 events: retried, failed and running tasks with their attempts, in a file of
        // a reviewable size.
        var monitor = MonitorState()
        monitor.apply(Array(StormFixture.events().prefix(400)))
        let document = SnapshotDocument.render(monitor, link: Self.link(), now: StormFixture.now, includeTracebacks: false) + "\n"
        if ProcessInfo.processInfo.environment["RETRYTOP_RECORD_SNAPSHOT"] == "1" {
            try FileManager.default.createDirectory(at: Self.file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try document.write(to: Self.file, atomically: true, encoding: .utf8)
            Issue.record("recorded \(Self.file.path) (RETRYTOP_RECORD_SNAPSHOT=1 always fails; rerun without it)")
            return
        }
        let expected = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(document == expected, "Tests/Fixtures/snapshot/storm.json differs:\n\(GoldenScreen.diff(expected, document).prefix(4_000))")
        // Every section is there, filled.
        for key in ["\"last_failover\":{", "\"gaps\":[{", "\"malformed_by_kind\":{", "\"unknown_types\":{\"a-first\":1", "\"sources\":{\"unacked\":{", "\"by_queue\":[{", "\"attempts\":[{"] {
            #expect(document.contains(key), "missing \(key)")
        }
    }
}
