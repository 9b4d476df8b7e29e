import Foundation
import Testing
@testable import Monitor
import TestSupport

@Suite struct EventDecoderTests {
    let decoder = EventDecoder()

    func decodeBody(_ bytes: [UInt8]) -> ([CeleryEvent], DecodeStats) {
        var events: [CeleryEvent] = []
        var stats = DecodeStats()
        decoder.decodeBody(json: bytes, into: &events, stats: &stats)
        return (events, stats)
    }

    func decodeEnvelope(_ text: String) -> ([CeleryEvent], DecodeStats) {
        var events: [CeleryEvent] = []
        var stats = DecodeStats()
        decoder.decode(envelope: Array(text.utf8), into: &events, stats: &stats)
        return (events, stats)
    }

    @Test func everyEventTypeInTheCapturesDecodesWithItsFields() throws {
        let examples = try WireFixture.examples()
        let eventExamples = examples.filter { !$0.key.hasPrefix("control:") }
        #expect(eventExamples.count >= 13)
        for (key, body) in eventExamples {
            let (events, stats) = decodeBody(body)
            #expect(events.count == 1, "\(key)")
            #expect(stats.malformed == 0 && stats.unknown == 0, "\(key)")
            guard let event = events.first else { continue }
            let typeName = String(key.prefix { $0 != ":" })
            #expect(event.kind.rawValue == typeName)
            #expect(event.hostname.contains("@"))
            #expect(event.timestamp > 1_795_000_000)
            #expect(event.clock > 0)
            #expect(event.pid != nil)
            switch event.kind {
            case .workerOnline, .workerOffline:
                #expect(event.freq == 2.0 && event.loadavg?.count == 3 && event.swIdent == "py-celery" && event.swVersion == "5.7.0")
            case .workerHeartbeat:
                #expect(event.freq != nil)
                if key.hasSuffix("requested") { #expect(event.active == nil && event.freq == 5) } else { #expect(event.active != nil && event.processed != nil) }
            case .taskSent:
                #expect(event.name == "app.add" && event.args == "(20, 22)" && event.kwargs == "{}" && event.queue == "celery" && event.routingKey == "celery" && event.exchange == "" && event.retries == 0)
            case .taskReceived:
                #expect(event.name != nil && event.args != nil && event.kwargs != nil && event.retries != nil && event.rootID != nil)
            case .taskSucceeded:
                #expect(event.result != nil && (event.runtime ?? -1) >= 0)
            case .taskFailed, .taskRetried:
                #expect(event.exception != nil && event.traceback?.hasPrefix("Traceback") == true)
            case .taskRevoked:
                #expect(event.terminated != nil && event.expired != nil)
                if key.contains("terminated=True") { #expect(event.terminated == true && event.signum == 15) }
                if key.contains("expired=True") { #expect(event.expired == true) }
            case .taskRejected:
                #expect(event.requeue == false)
            case .taskStarted:
                #expect(event.taskID != nil)
            }
        }
    }

    @Test func etaAndExpiresParseFromISO8601() {
        let body = #"{"hostname": "w1@vm", "clock": 11, "uuid": "62f92ef0", "name": "app.add", "retries": 0, "eta": "2026-11-26T12:31:47.645703+00:00", "expires": "2026-11-26T12:41:44.645703+00:00", "timestamp": 1795696304.6, "type": "task-received"}"#
        let (events, _) = decodeBody(Array(body.utf8))
        let eta = try? #require(events.first?.eta)
        #expect(abs((eta ?? 0) - 1_795_696_307.645703) < 1e-5)
        #expect(abs((events.first?.expires ?? 0) - 1_795_696_904.645703) < 1e-5)
        #expect(ISO8601.epoch("2026-11-26T07:31:47-05:00") == ISO8601.epoch("2026-11-26T12:31:47Z"))
        #expect(ISO8601.epoch("not a date") == nil)
        #expect(ISO8601.epoch("2026-11-26 12:31:47") == ISO8601.epoch("2026-11-26T12:31:47+00:00"))
        #expect(ISO8601.epoch("2026-11-26T18:01:47+0530") == ISO8601.epoch("2026-11-26T12:31:47Z"))
        #expect(ISO8601.epoch("2026-11-26T12:31:47.5Z") == ISO8601.epoch("2026-11-26T12:31:47Z").map { $0 + 0.5 })
        for bad in ["2026-13-26T12:31:47Z", "2026-11-26T12:31:47.Z", "2026-11-26T12:31:47Zx", "2026-11-26T12:31", "2026-11-2", ""] {
            #expect(ISO8601.epoch(bad) == nil, "\(bad)")
        }
        #expect(ISO8601.epoch(ISO8601.format(1_795_696_307.645703)).map { abs($0 - 1_795_696_307.645703) < 1e-5 } == true)
    }

    @Test func realEnvelopesDecodeThroughBase64() throws {
        for phase in ["p1", "p2", "p3", "p4", "p5", "p6", "p9", "p10", "p11"] {
            let messages = try WireFixture.eventEnvelopes(phase)
            var events: [CeleryEvent] = []
            var stats = DecodeStats()
            for message in messages { decoder.decode(envelope: message.payload, into: &events, stats: &stats) }
            #expect(stats.messages == messages.count, "\(phase)")
            #expect(stats.malformed == 0, "\(phase)")
            #expect(stats.unknown == 0, "\(phase)")
            #expect(events.count >= messages.count, "\(phase)")
        }
    }

    /// One scratch for every message (`IngestPipeline` passes the same one): bodies of growing and
    /// shrinking sizes, an undeclared body and refused base64 in between, decode exactly as with a
    /// scratch of their own.
    @Test func aSharedScratchDecodesLikeAFreshOne() {
        var envelopes: [[UInt8]] = []
        for index in 0..<60 {
            let text = String(repeating: "frame \(index) ", count: (index * 37) % 300)
            let json = #"[{"type": "task-failed", "hostname": "w@h", "timestamp": 1795696000.5, "uuid": "u-\#(index)", "clock": 7, "exception": "E('\#(index)')", "traceback": "\#(text)"}]"#
            let encoded = Base64.encode(Array(json.utf8))
            switch index % 10 {
            case 3: envelopes.append(Array(#"{"body": "QUJD RA==", "content-type": "application/json", "properties": {"body_encoding": "base64"}}"#.utf8))
            case 7: envelopes.append(Array(#"{"body": "W10=", "content-type": "application/json", "properties": {}}"#.utf8))
            default:
                envelopes.append(Array(#"{"body": "\#(encoded)", "content-type": "application/json", "properties": {"body_encoding": "base64"}}"#.utf8))
            }
        }
        var shared: [UInt8] = []
        var sharedEvents: [CeleryEvent] = []
        var sharedStats = DecodeStats()
        var freshEvents: [CeleryEvent] = []
        var freshStats = DecodeStats()
        for envelope in envelopes {
            envelope.withUnsafeBufferPointer {
                decoder.decode(envelope: $0, into: &sharedEvents, stats: &sharedStats, scratch: &shared)
                decoder.decode(envelope: $0, into: &freshEvents, stats: &freshStats)
            }
        }
        #expect(sharedEvents == freshEvents)
        #expect(sharedEvents.count == 48)
        #expect(sharedStats == freshStats)
    }

    /// The body's base64 is decoded in the pass that finds its closing quote; every shape of body the
    /// general path accepts must give the same bytes, and what the fused pass refuses must still decode.
    @Test func bodyBase64DecodedWhileScanningMatchesTheGeneralPath() throws {
        let event = #"[{"type": "task-started", "hostname": "w@h", "timestamp": 1795696000.5, "uuid": "u-1", "clock": 7}]"#
        for cut in 0..<3 {
            // Lengths 0, 1 and 2 mod 3: no padding, "==" and "=".
            let json = event + String(repeating: " ", count: cut)
            let encoded = Base64.encode(Array(json.utf8))
            let quoted = Array("\"\(encoded)\", 1".utf8)
            let fused = try #require(quoted.withUnsafeBufferPointer { Base64.decodeQuoted($0, from: 1) })
            #expect(fused.bytes == Array(json.utf8))
            #expect(quoted[fused.quote] == UInt8(ascii: "\""))
            #expect(fused.quote == encoded.utf8.count + 1)
            let (events, stats) = decodeEnvelope(#"{"body": "\#(encoded)", "content-type": "application/json", "properties": {"body_encoding": "base64"}}"#)
            #expect(events.map(\.taskID) == ["u-1"] && stats.malformed == 0)
        }
        // Refused by the fused pass (escape, whitespace, bad byte, too much padding): the general path decides.
        for refused in [#""QUJD\/w==""#, #""QUJD RA==""#, #""QU!D""#, #""QUJDRA===""#, #""QUJDR""#] {
            #expect(Array(refused.utf8).withUnsafeBufferPointer { Base64.decodeQuoted($0, from: 1) } == nil, "\(refused)")
        }
        let (escaped, escapedStats) = decodeEnvelope(#"{"body": "W10\u003d", "content-type": "application/json", "properties": {"body_encoding": "base64"}}"#)
        #expect(escaped.isEmpty && escapedStats.malformed == 0 && escapedStats.messages == 1)
        // A body that is valid base64 but not declared so is read as sent: "W10=" is "[]" in base64 and
        // malformed as JSON. Declared, the same bytes decode to an empty batch.
        let undeclared = #"{"body": "W10=", "content-type": "application/json", "properties": {}}"#
        #expect(decodeEnvelope(undeclared).1.malformedJSON == 1)
        let declared = #"{"body": "W10=", "content-type": "application/json", "properties": {"body_encoding": "base64"}}"#
        #expect(decodeEnvelope(declared).1.malformed == 0)
        let plain = #"{"body": "[]", "content-type": "application/json", "properties": {}}"#
        #expect(decodeEnvelope(plain).1.malformed == 0)
    }

    @Test func taskMultiBatchesYieldEveryEventInOrder() throws {
        let messages = try WireFixture.eventEnvelopes("p3").filter { $0.channel.hasSuffix("task.multi") }
        var sizes: [Int: Int] = [:]
        for message in messages {
            var events: [CeleryEvent] = []
            var stats = DecodeStats()
            decoder.decode(envelope: message.payload, into: &events, stats: &stats)
            sizes[events.count, default: 0] += 1
            let clocks = events.map(\.clock)
            #expect(clocks == clocks.sorted())
        }
        #expect(sizes.keys.contains(2) && sizes.keys.contains(3))
        #expect(sizes[0] == nil)
    }

    @Test func malformedInputIsCountedByKindAndNeverFatal() {
        var (events, stats) = decodeEnvelope("{not json")
        #expect(events.isEmpty && stats.malformedJSON == 1)
        (events, stats) = decodeEnvelope(#"{"body": "!!!notbase64", "content-type": "application/json", "properties": {"body_encoding": "base64"}}"#)
        #expect(events.isEmpty && stats.badBase64 == 1)
        let pickled = #"{"body": "gAN9cQAu", "content-type": "application/x-python-serialize", "properties": {"body_encoding": "base64"}}"#
        (events, stats) = decodeEnvelope(pickled)
        #expect(events.isEmpty && stats.unsupportedContentType == 1)
        let unknown = Base64.encode(Array(#"[{"type": "task-exploded", "hostname": "w", "timestamp": 1795696000, "uuid": "x"}]"#.utf8))
        (events, stats) = decodeEnvelope(#"{"body": "\#(unknown)", "content-type": "application/json", "properties": {"body_encoding": "base64"}}"#)
        #expect(events.isEmpty && stats.unknown == 1 && stats.unknownTypes["task-exploded"] == 1)
        // A wrong-typed optional field drops only that field; a wrong-typed required one drops the event.
        (events, stats) = decodeBody(Array(#"[{"type": "task-started", "hostname": "w", "timestamp": 1795696000, "uuid": "a", "pid": "x"}, {"type": "task-started", "hostname": "w", "timestamp": "soon", "uuid": "b"}, {"type": "task-started", "hostname": 7, "timestamp": 1795696000, "uuid": "c"}]"#.utf8))
        #expect(events.map(\.taskID) == ["a"])
        #expect(stats.wrongTypeFields == 1 && stats.badFields == 2)
        (events, stats) = decodeBody(Array(#"{"type": "task-started", "hostname": "w", "timestamp": 1795696000}"#.utf8))
        #expect(events.isEmpty && stats.badFields == 1)
        (events, stats) = decodeBody(Array("[]".utf8))
        #expect(events.isEmpty && stats.malformed == 0)
        (events, stats) = decodeBody(Array(String(repeating: "[", count: 500).utf8))
        #expect(events.isEmpty && stats.malformedJSON == 1)
    }

    @Test func oversizedMessagesAreCountedAndSkipped() {
        let small = EventDecoder(maxMessageBytes: 100)
        var events: [CeleryEvent] = []
        var stats = DecodeStats()
        small.decode(envelope: Array(repeating: UInt8(ascii: " "), count: 101), into: &events, stats: &stats)
        #expect(stats.oversized == 1 && stats.malformed == 1 && events.isEmpty)
    }

    @Test func everyTruncationOfRealEnvelopesIsSafe() throws {
        let messages = try WireFixture.eventEnvelopes("p1").prefix(20)
        for message in messages {
            for cut in stride(from: 0, to: message.payload.count, by: 7) {
                var events: [CeleryEvent] = []
                var stats = DecodeStats()
                decoder.decode(envelope: Array(message.payload.prefix(cut)), into: &events, stats: &stats)
                #expect(stats.messages == 1)
                #expect(events.isEmpty || stats.malformed == 0)
            }
        }
    }

    @Test func escapedStringsAndUnicodeDecode() {
        let body = #"{"type": "task-failed", "hostname": "w\u00e9@h", "timestamp": 1.5e9, "clock": 3, "uuid": "u", "exception": "ValueError('quote \" backslash \\ tab\t \ud83d\ude00 任务')"}"#
        let (events, stats) = decodeBody(Array(body.utf8))
        #expect(stats.malformed == 0)
        #expect(events.first?.hostname == "wé@h")
        #expect(events.first?.exception == "ValueError('quote \" backslash \\ tab\t 😀 任务')")
        #expect(events.first?.timestamp == 1.5e9)
    }

    @Test func eventLinesRoundTripThroughTheDecoder() throws {
        let examples = try WireFixture.examples().filter { !$0.key.hasPrefix("control:") }
        for (_, body) in examples {
            let (events, _) = decodeBody(body)
            guard let event = events.first else { continue }
            let line = EventLine.render(event)
            let (again, stats) = decodeBody(Array(line.utf8))
            #expect(stats.malformed == 0)
            var expected = event
            expected.utcoffset = nil
            #expect(again.first == expected)
        }
    }
}
