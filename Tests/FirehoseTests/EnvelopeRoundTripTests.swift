import Testing
import Monitor
@testable import Firehose

@Suite struct EnvelopeRoundTripTests {
    @Test(arguments: [BatchMix.celery, .single])
    func everyEnvelopeDecodesToExactlyTheEventsMeant(batch: BatchMix) {
        let storm = StormGenerator.generate(StormConfiguration(events: 4_000, tasks: 300, workers: 4, batch: batch, seed: 7))
        let decoder = EventDecoder()
        var stats = DecodeStats()
        var total = 0
        for index in 0..<storm.messageCount {
            let message = storm.message(at: index)
            var decoded: [CeleryEvent] = []
            decoder.decode(envelope: EnvelopeEncoder.envelope(message), into: &decoded, stats: &stats)
            #expect(decoded == message.events, "message \(index)")
            total += decoded.count
        }
        #expect(total == storm.eventCount)
        #expect(stats.messages == storm.messageCount)
        #expect(stats.events == storm.eventCount)
        #expect(stats.malformed == 0 && stats.unknown == 0 && stats.wrongTypeFields == 0)
    }

    @Test func envelopeHasKombusShape() throws {
        let storm = StormGenerator.generate(StormConfiguration(events: 200, tasks: 20, workers: 2, seed: 3))
        let message = (0..<storm.messageCount).map { storm.message(at: $0) }.first { $0.routingKey == "task.multi" && $0.events.count > 1 }
        let multi = try #require(message)
        let text = String(decoding: EnvelopeEncoder.envelope(multi), as: UTF8.self)
        #expect(text.hasPrefix("{\"body\": \""))
        #expect(text.contains("\"content-type\": \"application/json\""))
        #expect(text.contains("\"delivery_info\": {\"exchange\": \"celeryev\", \"routing_key\": \"task.multi\"}"))
        #expect(text.contains("\"body_encoding\": \"base64\""))
        let body = String(decoding: EnvelopeEncoder.body(multi), as: UTF8.self)
        #expect(body.hasPrefix("[{\"hostname\": \"w"))
        let online = String(decoding: EnvelopeEncoder.body(storm.message(at: 0)), as: UTF8.self)
        #expect(online.hasPrefix("{\"hostname\": ") && online.contains("\"type\": \"worker-online\""))
        #expect(online.contains("\"freq\": 2.0"))
    }

    @Test func nonASCIIIsEscapedLikePythonsJSON() {
        var writer = WireWriter()
        writer.string("café \"q\"\n\u{1F600}")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"caf\\u00e9 \\\"q\\\"\\n\\ud83d\\ude00\"")
    }
}
