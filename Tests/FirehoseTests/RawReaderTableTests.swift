import Foundation
import Testing
@testable import Firehose

/// The bench's table for issue 17's overload criterion counts retrytop's cuts only where the raw reader
/// kept up, and reads what `bench/raw_reader.py` prints.
@Suite struct RawReaderTableTests {
    static func rung(batch: String, cut: Bool, reconnects: Int = 0, raw: RawReaderResult?) -> RungResult {
        var publish = PublishReport()
        (publish.events, publish.messages, publish.seconds) = (1_000, 500, 0.01)
        return RungResult(
            batch: batch, targetRate: 1_000_000, sideBySide: false, publish: publish,
            loss: LossAccount(publishedEvents: 1_000, foldedEvents: 900, publishedMessages: 500, receivedMessages: 480, inboxDroppedMessages: 30),
            subscriberDropped: cut, reconnects: reconnects, maxOutputBufferBytes: 33_554_432, peakInboxMessages: 10, truthMismatches: 0,
            tasks: 100, cpuSeconds: 1, peakRSSBytes: 1, drainSeconds: 0, peer: nil, rawReader: raw)
    }

    @Test func cutsAreCountedWhereTheRawReaderKeptUp() {
        let keptUp = RawReaderResult(bytes: 5_000, closed: false, cpuSeconds: 0.2, maxOutputBufferBytes: 104_857)
        let rungs = [
            Self.rung(batch: "1", cut: true, raw: keptUp),
            Self.rung(batch: "1-3", cut: false, reconnects: 1, raw: keptUp),
            Self.rung(batch: "1-3", cut: false, raw: keptUp),
            Self.rung(batch: "1", cut: true, raw: RawReaderResult(bytes: 10, closed: true, cpuSeconds: 0.1)),
            Self.rung(batch: "1", cut: false, raw: RawReaderResult(bytes: 10, closed: false, cpuSeconds: 0.1, dropped: true)),
            Self.rung(batch: "1", cut: true, raw: nil),
        ]
        let table = BenchTable.besideRawReader(rungs)
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| 1") }
        #expect(rows.count == 5, "\(table)")
        #expect(rows[0].contains("| kept up | 0.1 MiB | **yes** | 32.0 MiB | 30 | 20 |"), "\(rows[0])")
        #expect(rows[1].contains("| kept up |") && rows[1].contains("| **yes** |"), "a reconnect is a cut: \(rows[1])")
        #expect(rows[2].contains("| kept up |") && rows[2].contains("| no |"))
        #expect(rows[3].contains("| **cut** |") && rows[4].contains("| **cut** |"))
        #expect(table.contains("retrytop cut by Redis in **2 of 3** rungs where the raw reader kept up; the raw reader itself was cut in 2"), "\(table)")
        #expect(BenchTable.besideRawReader([Self.rung(batch: "1", cut: true, raw: nil)]).isEmpty)
    }

    @Test func theScriptsOutputDecodesWithTheBenchsFieldsEmpty() throws {
        let line = #"{"bytes": 1448161101, "closed": false, "error": null, "cpu_seconds": 2.5}"#
        let result = try JSONDecoder().decode(RawReaderResult.self, from: Data(line.utf8))
        #expect(result == RawReaderResult(bytes: 1_448_161_101, closed: false, cpuSeconds: 2.5))
        #expect(result.keptUp)
        let closed = try JSONDecoder().decode(RawReaderResult.self, from: Data(#"{"bytes": 0, "closed": true, "error": "refused"}"#.utf8))
        #expect(!closed.keptUp && closed.error == "refused")
    }
}
