import Foundation
import Monitor
import RedisLink
@testable import CeleryLink
import Testing
import TestSupport

/// The inspect and queue sources of backfill on the real p16 capture (`unacked` and the four inspect
/// replies taken at the same moment): which worker holds which task since when, revoked ids, merge order.
@Suite struct BackfillSourcesTests {
    static let readAt = 1_796_209_086.969
    static let ids = (
        backoff: "8426fe4a-c52e-4484-9113-d85f5f7c3d9c", sleeper: "fa5b302d-e191-4856-a4e3-7f19a60321a4",
        sleeperLate: "5b91fe8d-fba9-43af-abf3-624c147da8ca", etaAdd: "914214a1-7a51-44a3-8dfd-3395629a51ca",
        revoked: "429e5892-d58a-409d-9e17-1b3b2120aa1f", echo: "c56fb71e-7031-4733-b2ed-d352cc4c7f42")

    static func replies(_ message: ControlMessage) throws -> [String: JSONValue] {
        let data = try Data(contentsOf: WireFixture.url("p16_inspect_replies.json"))
        let all = try JSONValue.parse(Array(data))
        return try #require(all["at_snapshot"]?[message.method]?.objectValue)
    }

    static func inspected() throws -> [BackfilledTask] {
        try InspectReplies.methods.flatMap { InspectReplies.tasks($0, replies: try replies($0), readAt: readAt).tasks }
    }

    static func unacked() throws -> [BackfilledTask] {
        let data = try Data(contentsOf: WireFixture.url("p16_unacked_snapshot.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(object["unacked"] as? [String: Any])
        return try entries.values.sorted { "\($0)" < "\($1)" }.compactMap {
            BackfilledTask.fromUnackedEntry(Array(try JSONSerialization.data(withJSONObject: $0)), readAt: readAt, visibilityTimeout: 3_600)
        }
    }

    @Test func inspectRepliesGiveWorkerStartTimeETAAndExactArguments() throws {
        let active = InspectReplies.tasks(.active, replies: try Self.replies(.active), readAt: Self.readAt)
        #expect(active.malformed == 0)
        let sleeper = try #require(active.tasks.first { $0.id == Self.ids.sleeper })
        #expect(sleeper.name == "app.sleeper" && sleeper.worker == "w1@vm" && sleeper.args == "[40]" && sleeper.kwargs == "{}")
        #expect(abs((sleeper.started ?? 0) - 1_796_209_083.9532251) < 1e-5 && sleeper.source == .inspect)

        let scheduled = InspectReplies.tasks(.scheduled, replies: try Self.replies(.scheduled), readAt: Self.readAt).tasks
        let revokedAdd = try #require(scheduled.first { $0.id == Self.ids.revoked })
        // The message priority (5), not the timer entry's 6.
        #expect(revokedAdd.priority == 5)
        #expect(revokedAdd.eta == ISO8601.epoch("2026-12-02T11:03:04.956192+00:00") && revokedAdd.started == nil)

        let revoked = InspectReplies.tasks(.revoked, replies: try Self.replies(.revoked), readAt: Self.readAt).tasks
        #expect(revoked.map(\.id) == [Self.ids.revoked] && revoked.allSatisfy(\.isRevokedEntry))
        // A worker's error reply is counted, not taken for tasks.
        let error = InspectReplies.tasks(.active, replies: ["w2@vm": ["error": "KeyError('x')"]], readAt: Self.readAt)
        #expect(error.tasks.isEmpty && error.malformed == 1)
    }

    @Test func unackedAndInspectMergeToWhatTheWorkerHeldInEitherOrder() throws {
        let unacked = try Self.unacked(), inspected = try Self.inspected()
        #expect(unacked.count == 5)
        var forward = MonitorState(), backward = MonitorState()
        forward.mergeBackfill(unacked)
        forward.mergeBackfill(inspected)
        backward.mergeBackfill(inspected)
        backward.mergeBackfill(unacked)
        for state in [forward, backward] {
            let backoff = try #require(state.tasks[Self.ids.backoff])
            #expect(backoff.state == .retry && backoff.attempts.map(\.number) == [2] && backoff.attempts[0].worker == "w1@vm")
            #expect(backoff.sources.list == [.unacked, .inspect])
            // Running without acks_late: only inspect knows it, since when, and on which worker.
            let sleeper = try #require(state.tasks[Self.ids.sleeper])
            #expect(sleeper.state == .started && sleeper.sources.list == [.inspect])
            #expect(abs((sleeper.attempts.first?.started ?? 0) - 1_796_209_083.9532251) < 1e-5 && sleeper.worker == "w1@vm")
            #expect(sleeper.attempts.first?.beginningUnseen == true && sleeper.args == "[40]")
            // acks_late: in unacked and active.
            #expect(state.tasks[Self.ids.sleeperLate]?.state == .started)
            #expect(state.tasks[Self.ids.echo]?.state == .received)
            // Revoked before start, held for its ETA: discarded then, so not shown as waiting.
            let revoked = try #require(state.tasks[Self.ids.revoked])
            #expect(revoked.state == .revoked && revoked.backfill?.revokedByWorkers == true)
            #expect(revoked.attempts.last?.outcome == .revoked && revoked.attempts.last?.started == nil)
            #expect(state.tasks[Self.ids.etaAdd]?.state == .received)
            #expect(state.tasks.count == 6)
        }
        #expect(forward.tasks[Self.ids.revoked] == backward.tasks[Self.ids.revoked])
        #expect(forward.tasks[Self.ids.sleeper]?.attempts == backward.tasks[Self.ids.sleeper]?.attempts)
    }

    @Test func aRevokedIdAloneMakesNoTask() {
        var state = MonitorState()
        state.mergeBackfill((0..<100).map { BackfilledTask.revokedByWorkers("old-\($0)", readAt: Self.readAt) })
        #expect(state.tasks.isEmpty)
    }

    @Test func queuedMessagesArePendingUnlessTheyAnnounceALaterAttempt() throws {
        let lines = try String(contentsOf: WireFixture.url("p6_queue_messages.jsonl"), encoding: .utf8).split(separator: "\n")
        let messages = try lines.compactMap { line -> BackfilledTask? in
            let message = try JSONValue.parse(Array(line.utf8))["message"]
            return message.flatMap { BackfilledTask.fromTaskMessage($0.jsonBytes, source: .queue, readAt: Self.readAt) }
        }
        #expect(!messages.isEmpty)
        var state = MonitorState()
        state.mergeBackfill(messages)
        for message in messages {
            let task = try #require(state.tasks[message.id])
            #expect(task.sources.list == [.queue] && task.args == message.args)
            if (message.retries ?? 0) == 0 && message.eta == nil {
                #expect(task.state == .pending && task.attempts.isEmpty)
            } else {
                #expect(task.attempts.last?.number == (message.retries ?? 0) + 1)
            }
        }
    }
}
