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

    /// The Unicode path was rewritten for speed (table for ASCII scalars, UTF-8 output); it must give what
    /// the original scalar-by-scalar version below gives, on non-ASCII texts too.
    @Test func unicodePathEqualsTheOriginalRules() {
        var samples = [
            "ValueError('prix invalide: 12,5 € pour l’article 4711')", "KeyError('ключ 42 не найден')",
            "RuntimeError('Ⅻ ² ٣٤ ३ digits in other scripts 7')", "OSError('日本語 テキスト 0x1F 2024-01-02')",
            "naïve_café 1e5 deadbeef-cafe-babe", "emoji 🚀 3 rockets", "ß" + String(repeating: "é1", count: 200),
            "ConnectionError('flaky attempt 0 x=42')", "", "a-a-a-a-a-a-a-a-a1 b",
        ]
        for kind in ExceptionCorpus.kinds.indices { samples.append(ExceptionCorpus.exception(kind: kind, detail: 7)) }
        for sample in samples {
            #expect(ExceptionFingerprint.unicodeFingerprint(sample) == Self.original(sample), "\(sample)")
            #expect(ExceptionFingerprint.of(sample) == Self.original(sample), "\(sample)")
        }
    }

    /// The rules as first written, on `Unicode.Scalar` properties throughout.
    static func original(_ exception: String) -> String {
        func isMaskable(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isASCIIHexDigit || scalar == "-" || scalar == "." || scalar == "x"
        }
        func isWord(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic || scalar == "_" }
        let scalars = Array(exception.unicodeScalars.prefix(ExceptionFingerprint.maxLength * 2))
        func isHexRun(_ index: Int) -> Bool {
            guard scalars[index].properties.isASCIIHexDigit else { return false }
            if index > 0, isWord(scalars[index - 1]) { return false }
            var end = index
            while end < scalars.count, scalars[end].properties.isASCIIHexDigit || scalars[end] == "-" { end += 1 }
            return end - index >= 8
        }
        var output = String.UnicodeScalarView()
        var previousWasMask = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.numericType != nil || isHexRun(index) {
                var end = index
                while end < scalars.count, isMaskable(scalars[end]) { end += 1 }
                if scalars[index..<end].contains(where: { $0.properties.numericType != nil }) {
                    if !previousWasMask { output.append("#") }
                    previousWasMask = true
                    index = end
                    continue
                }
            }
            if isWord(scalar) {
                var end = index
                while end < scalars.count, isWord(scalars[end]) { end += 1 }
                for value in scalars[index..<end] { output.append(value) }
                index = end
                previousWasMask = false
                continue
            }
            output.append(scalar)
            previousWasMask = false
            index += 1
        }
        let text = String(output)
        return text.count > ExceptionFingerprint.maxLength ? String(text.prefix(ExceptionFingerprint.maxLength)) + "…" : text
    }
}
