@testable import CeleryLink
import Foundation
import Monitor
import Testing
import TestSupport

/// Reading the real `unacked` entries and result records of the p16/p17 captures (`docs/celery-wire.md`,
/// "`unacked`: messages workers hold" and "Result backend records").
@Suite struct BackfillParsingTests {
    static func capture(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: WireFixture.url(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func bytes(_ value: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: value))
    }

    @Test func unackedEntriesOfTheCaptureReadAsHeldTasks() throws {
        let capture = try Self.capture("p16_unacked_snapshot.json")
        let entries = try #require(capture["unacked"] as? [String: Any])
        let readAt = 1_796_209_086.969
        var found: [String: BackfilledTask] = [:]
        for (_, entry) in entries {
            let task = try #require(BackfilledTask.fromUnackedEntry(try Self.bytes(entry), readAt: readAt, visibilityTimeout: 3600))
            found[task.id] = task
        }
        let backoff = try #require(found["8426fe4a-c52e-4484-9113-d85f5f7c3d9c"])
        #expect(backoff.name == "app.backoff")
        #expect(backoff.retries == 1)
        #expect(backoff.eta == ISO8601.epoch("2026-12-02T10:59:01.952093+00:00"))
        #expect(backoff.args == "[7]")
        #expect(backoff.kwargs == "{}")
        #expect(backoff.queue == "celery")
        #expect(backoff.priority == 0)
        #expect(!backoff.redeliveryExpected)
        let echo = try #require(found["c56fb71e-7031-4733-b2ed-d352cc4c7f42"])
        #expect(echo.args == #"[1, "two", [3, {"four": null}]]"#)
        #expect(echo.eta == nil)
        // The sleeper (running, acks_late=False) is not in unacked (docs/celery-wire.md, "`unacked`: messages workers hold").
        #expect(found["fa5b302d-e191-4856-a4e3-7f19a60321a4"] == nil)
        // With a 10 s visibility timeout the countdown=60 retry will be redelivered before its ETA.
        let backoffEntry = try #require(entries.values.first { "\($0)".contains("app.backoff") })
        let raw = try Self.bytes(backoffEntry)
        #expect(BackfilledTask.fromUnackedEntry(raw, readAt: readAt, visibilityTimeout: 10)?.redeliveryExpected == true)
    }

    @Test func resultRecordsWithoutResultExtendedHaveStateAndException() throws {
        let capture = try Self.capture("p16_result_meta.json")
        let later = try #require(capture["after_60s"] as? [String: Any])
        let boom = try #require(later["0077ee69-a53a-481d-9554-0358ebd3ce0f"] as? [String: Any])
        let task = try #require(BackfilledTask.fromResultMeta(try Self.bytes(boom["value"] as Any), readAt: 0))
        #expect(task.state == .failure)
        #expect(task.name == nil)
        #expect(task.retries == nil)
        #expect(task.exception == "ValueError('permanent failure')")
        #expect(task.traceback?.hasSuffix("ValueError: permanent failure\n") == true)
        #expect(task.dateDone == ISO8601.epoch("2026-12-02T10:59:05.287879+00:00"))
        #expect(task.args == nil)
    }

    @Test func resultRecordsWithResultExtendedNameTheTask() throws {
        let capture = try Self.capture("p17_result_meta_extended.json")
        let first = try #require(capture["after_2s"] as? [String: Any])
        let meta = try #require(first["meta"] as? [String: Any])
        let failure = try #require(meta["d3250669-f5ff-4b09-98ca-92a0f4d8b850"] as? [String: Any])
        let task = try #require(BackfilledTask.fromResultMeta(try Self.bytes(failure["value"] as Any), readAt: 0))
        #expect(task.name == "app.boom")
        #expect(task.retries == 0)
        #expect(task.worker == "w1@vm")
        #expect(task.args == "[]")
        #expect(task.kwargs == "{}")
        #expect(task.queue == "celery")
        #expect(task.exception == "ValueError('permanent failure')")
    }

    @Test func hostileEntriesAreRefusedNotFatal() {
        for raw in ["", "[", "[1,2,3]", #"[{"headers": 5}, "", "celery"]"#, #"[{"headers": {"id": ""}}]"#, "{\"status\": \"FAILURE\"}", "\u{0}"] {
            #expect(BackfilledTask.fromUnackedEntry(Array(raw.utf8), readAt: 0, visibilityTimeout: 3600) == nil)
            #expect(BackfilledTask.fromResultMeta(Array(raw.utf8), readAt: 0) == nil)
        }
        #expect(BackfilledTask.exceptionText(#"{"exc_type": "KeyError", "exc_message": ["it's"]}"#) == #"KeyError('it\'s')"#)
    }
}
