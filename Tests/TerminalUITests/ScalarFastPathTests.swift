import Testing
@testable import TerminalUI
import TestSupport

/// Text whose scalars are each a grapheme of known width (box drawing, blocks, arrows, punctuation,
/// Latin letters) takes a scalar-by-scalar path in `Grid.put` and `TextWidth.of`; it must draw and
/// measure exactly as the grapheme-by-grapheme path does.
@Suite struct ScalarFastPathTests {
    /// Every scalar the fast path accepts beyond ASCII, and some ASCII.
    static let accepted: [Unicode.Scalar] = {
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0xA0...0xAC, 0xAE...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x21FF, 0x2500...0x25FF]
        return ranges.flatMap { $0.compactMap(Unicode.Scalar.init) }
    }()

    @Test func everyAcceptedScalarIsOneGraphemeOfTheWidthTheGeneralPathGivesIt() {
        for scalar in Self.accepted {
            let text = String(scalar)
            #expect(text.count == 1)
            let (glyph, width) = TextWidth.rendering(of: Character(scalar))
            #expect(glyph == Character(scalar), "U+\(String(scalar.value, radix: 16)) is drawn as itself")
            #expect(width == TextWidth.of(scalar) && width == TextWidth.widthOfAccepted(scalar), "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func putAndWidthAgreeWithTheGraphemePathOnRandomText() {
        var random = FixtureRandom(seed: 42)
        for round in 0..<400 {
            let length = Int(random.next() % 24)
            var text = ""
            for _ in 0..<length { text.unicodeScalars.append(Self.accepted[Int(random.next() % UInt64(Self.accepted.count))]) }
            #expect(TextWidth.isOneClusterPerScalar(text))
            #expect(TextWidth.of(text) == text.reduce(0) { $0 + TextWidth.rendering(of: $1).width }, "\(text)")
            let x = Int(random.next() % 30) - 5
            let maxWidth: Int? = round % 3 == 0 ? nil : Int(random.next() % 20)
            // Over a row that already holds wide characters, so the wide-cell invariant is exercised.
            var fast = Grid(width: 24, height: 1)
            fast.put("数据数据数据数据数据数据", x: 0, y: 0)
            var general = fast
            let used = fast.put(text, x: x, y: 0, style: .plain.bold(), maxWidth: maxWidth)
            let limit = min(24, maxWidth.map { x + max(0, $0) } ?? 24)
            let expected = general.putClusters(text, x: x, y: 0, style: .plain.bold(), limit: limit)
            #expect(fast == general, "\(text) at \(x), max \(String(describing: maxWidth))")
            #expect(used == expected)
        }
    }

    @Test func prefixCutsWhereTheGraphemePathCuts() {
        var random = FixtureRandom(seed: 7)
        let ascii = Self.accepted.filter { $0.value < 0x7F }
        for round in 0..<600 {
            let pool = round % 2 == 0 ? ascii : Self.accepted
            let length = Int(random.next() % 30)
            var text = ""
            for _ in 0..<length { text.unicodeScalars.append(pool[Int(random.next() % UInt64(pool.count))]) }
            for width in [0, 1, 2, 5, 13, 29, 40] {
                #expect(TextWidth.prefix(text, width: width) == TextWidth.prefixByGraphemes(text, width: width), "round \(round), width \(width): \(text.debugDescription)")
            }
        }
        // Text that can form clusters still cuts between whole clusters.
        #expect(TextWidth.prefix("e\u{301}e\u{301}x", width: 2) == "e\u{301}e\u{301}")
        #expect(TextWidth.prefix("漢字", width: 3) == "漢")
    }

    @Test func textThatCanFormClustersTakesTheGeneralPath() {
        #expect(!TextWidth.isOneClusterPerScalar("e\u{301}"))  // a combining accent
        #expect(!TextWidth.isOneClusterPerScalar("soft\u{AD}hyphen"))  // a format character
        #expect(!TextWidth.isOneClusterPerScalar("a\u{200D}b"))  // ZWJ
        #expect(!TextWidth.isOneClusterPerScalar("line\u{2028}break"))
        #expect(!TextWidth.isOneClusterPerScalar("tab\t"))
        #expect(TextWidth.isOneClusterPerScalar("┌ Retrying ─ ▁▂▃█ 3× · …"))
        var grid = Grid(width: 6, height: 1)
        grid.put("e\u{301}x", x: 0, y: 0)
        #expect(grid[0, 0].character == "e\u{301}" && grid[1, 0].character == "x")
    }
}
