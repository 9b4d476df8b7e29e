import Testing
@testable import Monitor
@testable import Firehose

/// Guards the byte-level fast path added to `ExceptionFingerprint` for the benchmark's sake: it must give
/// exactly what the Unicode path gives.
@Suite struct FingerprintFastPathTests {
    @Test func asciiFastPathEqualsTheUnicodePath() {
        var samples = [
            "ConnectionError('flaky attempt 0 x=42')", "KeyError('4accb638-7b8b-4307-868c-73dd4ab76a9c')",
            "OSError(0x7f3a2c1d5e90 at 10.0.3.12:5432)", "ValueError('deadbeefcafe and 12.5-3 x9')", "", "_x_ 1e10 0xFF",
            String(repeating: "TimeoutError('slow 123 ') ", count: 20),
            "a-a-a-a-a-a-a-a-a1 b", "DEADBEEF-0000 x", "_1 x1 .5 -7 9. 0x 1x", "e3b0c442_98fc1c14", "id=ABCDEF12 end",
            "9", "a", "((::))", String(repeating: "f", count: 400), String(repeating: "1a-", count: 150),
        ]
        for kind in ExceptionCorpus.kinds.indices { samples.append(ExceptionCorpus.exception(kind: kind, detail: 48_213)) }
        for sample in samples where sample.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(ExceptionFingerprint.of(sample) == ExceptionFingerprint.unicodeFingerprint(sample), "\(sample)")
        }
    }
}
