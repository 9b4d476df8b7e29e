@testable import Actions
import Foundation
import Testing
@testable import Monitor
import TestSupport

/// `TaskMessage` against the task messages Celery 5.7 itself LPUSHed (`docs/celery-wire.md`, "Task messages, queues and priority", `p6_queue_messages.jsonl`).
@Suite struct ActionsTaskMessageTests {
    static func capturedMessages() throws -> [(listKey: String, message: [String: Any])] {
        let text = try String(contentsOf: WireFixture.url("p6_queue_messages.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try #require(object["list_key"] as? String), try #require(object["message"] as? [String: Any]))
        }
    }

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "not a JSON object: \(json)")
    }

    /// Rebuilds a captured message from its own fields: the result must equal it, byte for byte in the body.
    @Test func rebuildsTheCapturedMessageExactly() throws {
        let (_, captured) = try #require(try Self.capturedMessages().first { ($0.message["headers"] as? [String: Any])?["eta"] is NSNull && $0.message["properties"].map { ($0 as? [String: Any])?["priority"] as? Int == 1 } == true })
        let headers = try #require(captured["headers"] as? [String: Any])
        let properties = try #require(captured["properties"] as? [String: Any])
        let capturedBody = try #require(captured["body"] as? String)
        let body = try #require(Base64.decode(Array(capturedBody.utf8)))
        let exact = try #require(ExactArguments.fromTaskBody(body, source: .queue, name: nil, queue: nil, priority: nil))
        let message = TaskMessage(
            id: try #require(headers["id"] as? String), name: try #require(headers["task"] as? String),
            args: exact.args, kwargs: exact.kwargs, queue: "custom_q", priority: 1,
            deliveryTag: try #require(properties["delivery_tag"] as? String), origin: try #require(headers["origin"] as? String),
            argsRepr: headers["argsrepr"] as? String, kwargsRepr: headers["kwargsrepr"] as? String,
            replyTo: try #require(properties["reply_to"] as? String))
        #expect(message.body == String(decoding: body, as: UTF8.self))
        let rebuilt = try Self.object(message.json)
        #expect(NSDictionary(dictionary: rebuilt).isEqual(to: captured), "\(message.json)\nvs\n\(captured)")
    }

    /// The full header and property set of `docs/celery-wire.md`, "Task messages, queues and priority" the mandatory delivery_info.
    @Test func requeueMessageHasTheFullProtocol2Shape() throws {
        let plan = RequeuePlan(
            originalID: "old", name: "app.echo", args: #"[1, "two", [3, [4, 5]], {"six": 6}]"#,
            kwargs: #"{"k_str": "hello \"world\"", "k_float": 1.5}"#, source: .resultBackend, queue: "celery", priority: 6,
            argsRepr: "(1, 'two', [3, [4, 5]], {'six': 6})", kwargsRepr: nil)
        let message = TaskMessage(plan: plan, id: "new-id", deliveryTag: "tag-1", origin: "retrytop1@host")
        let json = try Self.object(message.json)
        let captured = try #require(try Self.capturedMessages().first?.message)
        #expect(Set(json.keys) == Set(captured.keys))
        let headers = try #require(json["headers"] as? [String: Any])
        let capturedHeaders = try #require(captured["headers"] as? [String: Any])
        #expect(Set(headers.keys) == Set(capturedHeaders.keys))
        #expect(headers["task"] as? String == "app.echo" && headers["id"] as? String == "new-id")
        #expect(headers["root_id"] as? String == "new-id" && headers["parent_id"] is NSNull)
        #expect(headers["retries"] as? Int == 0 && headers["lang"] as? String == "py")
        #expect((headers["timelimit"] as? [Any])?.count == 2)
        #expect(headers["argsrepr"] as? String == "(1, 'two', [3, [4, 5]], {'six': 6})")
        #expect(headers["kwargsrepr"] as? String == #"{"k_str": "hello \"world\"", "k_float": 1.5}"#)
        #expect(headers["origin"] as? String == "retrytop1@host")
        #expect((headers["stamps"] as? [String: Any])?.isEmpty == true && headers["stamped_headers"] is NSNull)
        let properties = try #require(json["properties"] as? [String: Any])
        let capturedProperties = try #require(captured["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(capturedProperties.keys).subtracting(["expiration"]))
        #expect(properties["delivery_mode"] as? Int == 2 && properties["priority"] as? Int == 6)
        #expect(properties["correlation_id"] as? String == "new-id" && properties["delivery_tag"] as? String == "tag-1")
        #expect(properties["body_encoding"] as? String == "base64")
        let info = try #require(properties["delivery_info"] as? [String: Any])
        #expect(info["exchange"] as? String == "" && info["routing_key"] as? String == "celery")
        #expect(json["content-type"] as? String == "application/json" && json["content-encoding"] as? String == "utf-8")
        let encoded = try #require(json["body"] as? String)
        let body = String(decoding: try #require(Base64.decode(Array(encoded.utf8))), as: UTF8.self)
        #expect(body == #"[[1, "two", [3, [4, 5]], {"six": 6}], {"k_str": "hello \"world\"", "k_float": 1.5}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}]"#)
    }

    @Test func unackedEntryYieldsItsArguments() throws {
        let data = try Data(contentsOf: WireFixture.url("p6_unacked_snapshot.json"))
        let snapshot = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entry = try #require((snapshot["unacked"] as? [String: Any])?.values.first as? [Any])
        let message = try #require(entry.first as? [String: Any])
        let encoded = try #require(message["body"] as? String)
        let body = try #require(Base64.decode(Array(encoded.utf8)))
        let exact = try #require(ExactArguments.fromTaskBody(body, source: .unacked, name: "app.add", queue: entry[2] as? String, priority: 0))
        #expect(exact.args == "[1000, 1]" && exact.kwargs == "{}" && exact.queue == "celery")
    }

    @Test func rawJSONKeepsTextExactly() {
        let bytes = Array(#"{"args": [1e+20, 12345678901234567890123, "\u00e9"], "kwargs": {"a": -0.0}, "name": "x\"y", "n": 1}"#.utf8)
        let members = RawJSON.members(bytes)
        #expect(members?["args"] == #"[1e+20, 12345678901234567890123, "\u00e9"]"#)
        #expect(members?["kwargs"] == #"{"a": -0.0}"#)
        #expect(members?["name"].flatMap(RawJSON.string) == "x\"y")
        #expect(RawJSON.elements(Array("[[1], {}, {}]".utf8)) == ["[1]", "{}", "{}"])
        #expect(RawJSON.elements(Array("[1, 2".utf8)) == nil)
        #expect(RawJSON.members(Array("[]".utf8)) == nil)
        #expect(RawJSON.elements(Array("[1] x".utf8)) == nil)
    }

    @Test func resultMetaNeedsResultExtended() {
        let extended = #"{"status": "FAILURE", "result": {"exc_type": "ValueError"}, "name": "demo.echo", "args": [1, "it's \"q\""], "kwargs": {"fail": true}, "worker": "w@h", "retries": 0, "queue": "celery", "task_id": "t"}"#
        let exact = ExactArguments.fromResultMeta(Array(extended.utf8))
        #expect(exact == ExactArguments(args: #"[1, "it's \"q\""]"#, kwargs: #"{"fail": true}"#, source: .resultBackend, name: "demo.echo", queue: "celery"))
        let plain = #"{"status": "FAILURE", "result": null, "traceback": null, "children": [], "task_id": "t"}"#
        #expect(ExactArguments.fromResultMeta(Array(plain.utf8)) == nil)
    }
}
