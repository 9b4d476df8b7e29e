import Foundation
import Testing
import RedisLink

@Suite struct WireValueTests {
    @Test func priorityBucketsFollowKombuBisect() {
        let expected: [(Int?, Int)] = [(nil, 0), (0, 0), (1, 0), (2, 0), (3, 3), (5, 3), (6, 6), (8, 6), (9, 9), (12, 9), (-4, 0)]
        for (priority, step) in expected {
            #expect(PriorityBucket.step(for: priority) == step, "priority \(String(describing: priority))")
        }
        #expect(PriorityBucket.key(queue: "custom_q", priority: 1) == Array("custom_q".utf8))
        #expect(PriorityBucket.key(queue: "custom_q", priority: 5) == Array("custom_q".utf8) + [0x06, 0x16] + Array("3".utf8))
        #expect(PriorityBucket.key(queue: "custom_q", priority: 9) == Array("custom_q".utf8) + [0x06, 0x16, 0x39])
        #expect(PriorityBucket.allKeys(queue: "celery").count == 4)
    }

    @Test func bindingMemberRoundTrips() {
        let binding = KombuBinding(routingKey: "oid", pattern: "", queue: "oid.reply.celery.pidbox")
        #expect(binding.member == Array("oid".utf8) + [0x06, 0x16, 0x06, 0x16] + Array("oid.reply.celery.pidbox".utf8))
        #expect(KombuBinding(member: binding.member) == binding)
        #expect(KombuBinding(member: Array("no separators".utf8)) == nil)
    }

    @Test func jsonValueParsesAndEncodes() throws {
        let text = #"{"a": true, "b": 1, "c": 1.5, "d": null, "e": [1, "x\n\"y"], "f": {"g": false}, "h": 1795696371.621953}"#
        let value = try JSONValue.parse(text)
        #expect(value["a"] == .bool(true))
        #expect(value["b"] == .int(1))
        #expect(value["c"] == .double(1.5))
        #expect(value["d"] == .null)
        #expect(value["e"]?[1] == .string("x\n\"y"))
        #expect(value["f"]?["g"] == .bool(false))
        #expect(value["h"]?.doubleValue == 1795696371.621953)
        #expect(try JSONValue.parse(value.jsonString) == value)
        #expect(JSONValue.object(["b": 1, "a": [nil, "\u{1}"]]).jsonString == #"{"a": [null, "\u0001"], "b": 1}"#)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("{nope") }
    }

    @Test func envelopeRoundTripsWithBase64Body() throws {
        let body: JSONValue = ["method": "ping", "arguments": [:]]
        let envelope = KombuEnvelope.controlRequest(body: body, expires: 12.5, deliveryTag: "tag-1")
        let decoded = try KombuEnvelope.decode(envelope.encoded())
        #expect(decoded == envelope)
        #expect(try decoded.bodyJSON() == body)
        let raw = try JSONValue.parse(envelope.encoded())
        #expect(raw["body"]?.stringValue == Data(body.jsonBytes).base64EncodedString())
    }

    @Test func plainBodyIsAccepted() throws {
        let envelope = try KombuEnvelope.decode(Array(#"{"body": "{\"x\": 1}", "content-type": "application/json"}"#.utf8))
        #expect(try envelope.bodyJSON() == ["x": 1])
        #expect(throws: KombuEnvelope.DecodeError.self) { try KombuEnvelope.decode(Array("[]".utf8)) }
    }

    @Test func pidboxRequestBody() {
        let plain = PidboxRequest(method: "revoke", arguments: ["task_id": ["a"]])
        #expect(plain.json == ["method": "revoke", "arguments": ["task_id": ["a"]], "destination": nil, "pattern": nil, "matcher": nil])
        let withReply = PidboxRequest(method: "active", destination: ["w1@vm"], ticket: "t", replyRoutingKey: "oid")
        #expect(withReply.json["ticket"] == "t")
        #expect(withReply.json["reply_to"] == ["exchange": "reply.celery.pidbox", "routing_key": "oid"])
        #expect(withReply.json["destination"] == ["w1@vm"])
    }

    @Test func backoffDoublesUpToTheCap() {
        let backoff = ReconnectBackoff(initial: 0.1, multiplier: 2, cap: 5)
        let delays = (1...10).map { backoff.delay(beforeAttempt: $0) }
        #expect(delays[0] == 0.1)
        #expect(abs(delays[1] - 0.2) < 1e-9)
        #expect(abs(delays[2] - 0.4) < 1e-9)
        #expect(delays[9] == 5)
        #expect(delays == delays.sorted())
        #expect(backoff.delay(beforeAttempt: 10_000) == 5)
    }

    @Test func replyTextAndChecked() throws {
        #expect(RedisReply.bulk(Array("é".utf8)).text == "é")
        #expect(RedisReply.status("OK").bytes == Array("OK".utf8))
        #expect(throws: RedisError.server("ERR x")) { try RedisReply.error("ERR x").checked() }
    }
}

@Suite struct RawInboxTests {
    private func message(_ size: Int) -> RawMessage {
        RawMessage(channel: Array("c".utf8), payload: [UInt8](repeating: 7, count: size - 1))
    }

    @Test func countBoundDropsNewestAndCounts() {
        let inbox = RawInbox(maxMessages: 3, maxBytes: 1_000)
        for _ in 0..<5 { inbox.push(message(10)) }
        let stats = inbox.statistics
        #expect(stats.received == 5)
        #expect(stats.dropped == 2)
        #expect(stats.droppedBytes == 20)
        #expect(stats.depth == 3)
        #expect(stats.peakDepth == 3)
        #expect(inbox.drainAll().count == 3)
        #expect(inbox.statistics.depth == 0)
        #expect(inbox.push(message(10)))
    }

    @Test func byteBoundDropsAndCounts() {
        let inbox = RawInbox(maxMessages: 100, maxBytes: 25)
        #expect(inbox.push(message(10)))
        #expect(inbox.push(message(10)))
        #expect(!inbox.push(message(10)))
        #expect(inbox.push(message(5)))
        let stats = inbox.statistics
        #expect(stats.bytes == 25 && stats.peakBytes == 25)
        #expect(stats.dropped == 1 && stats.droppedBytes == 10)
    }

    @Test func drainSwapsBuffersAndKeepsOrder() {
        let inbox = RawInbox()
        var batch: [RawMessage] = [message(3)]
        for index in 0..<4 { inbox.push(RawMessage(channel: [], payload: [UInt8(index)])) }
        inbox.drain(into: &batch)
        #expect(batch.map(\.payload) == [[0], [1], [2], [3]])
        inbox.drain(into: &batch)
        #expect(batch.isEmpty)
    }

    @Test func concurrentPushAndDrainLoseNothing() async {
        let inbox = RawInbox(maxMessages: 10_000_000, maxBytes: 1 << 30)
        let producers = 4
        let perProducer = 20_000
        var drained = 0
        await withTaskGroup(of: Void.self) { group in
            for producer in 0..<producers {
                group.addTask {
                    for index in 0..<perProducer {
                        inbox.push(RawMessage(channel: [UInt8(producer)], payload: [UInt8(truncatingIfNeeded: index)]))
                    }
                }
            }
            var batch: [RawMessage] = []
            while inbox.statistics.received < producers * perProducer || inbox.statistics.depth > 0 {
                inbox.drain(into: &batch)
                drained += batch.count
                await Task.yield()
            }
        }
        drained += inbox.drainAll().count
        #expect(drained == producers * perProducer)
        #expect(inbox.statistics.dropped == 0)
    }
}
