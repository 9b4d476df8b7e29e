import Foundation
import Testing
@testable import Monitor
import TestSupport

/// Replays every file of the fuzz corpus (`Tests/Fixtures/fuzz-corpus`, seeded by `scripts/fuzz-seed.py`,
/// grown by `scripts/fuzz.sh`) through decode, fold, snapshot JSON and event lines, as the fuzz target
/// does: nothing traps, every event line decodes back, and the hostile seeds are counted where they
/// must be (the file name's prefix says which counter).
@Suite struct FuzzCorpusTests {
    static let directory = RepoPaths.root.appendingPathComponent("Tests/Fixtures/fuzz-corpus")

    static func corpus() throws -> [(name: String, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { ($0, [UInt8](try Data(contentsOf: directory.appendingPathComponent($0)))) }
    }

    @Test func everyCorpusFileReplaysWithoutTrappingAndRoundTrips() throws {
        let corpus = try FuzzCorpusTests.corpus()
        #expect(corpus.count >= 100 && corpus.count < 300)
        #expect(corpus.reduce(0) { $0 + $1.bytes.count } < 1 << 20)
        var foldedEvents = 0
        for (name, bytes) in corpus {
            let outcome = InputReplay.run(bytes)
            #expect(outcome.badRoundTrips == 0, "\(name)")
            #expect(outcome.snapshotBytes > 0, "\(name)")
            foldedEvents += outcome.events
            if name.hasPrefix("real-") { #expect(outcome.events > 0 && outcome.stats.badValues == 0, "\(name)") }
            if name.hasPrefix("hostile-number-") { #expect(outcome.stats.outOfRange > 0, "\(name)") }
            if name.hasPrefix("bad-batch-") { #expect(outcome.stats.badBatchItems > 0, "\(name)") }
            if name.hasPrefix("invalid-utf8-") { #expect(outcome.stats.invalidUTF8IDs > 0, "\(name)") }
        }
        #expect(foldedEvents > 100)
    }

    @Test func theGoodEventsOfAHostileBatchAreFolded() throws {
        let corpus = try FuzzCorpusTests.corpus()
        let batch = try #require(corpus.first { $0.name == "bad-batch-string-null-array" })
        let outcome = InputReplay.run(batch.bytes)
        #expect(outcome.events == 2 && outcome.tasks == 1 && outcome.stats.badBatchItems == 3)
        let invalid = try #require(corpus.first { $0.name == "invalid-utf8-ff" })
        // Three ids that a U+FFFD repair made one task: \xff, \xfe and a real U+FFFD.
        #expect(InputReplay.run(invalid.bytes).tasks == 3)
    }
}
