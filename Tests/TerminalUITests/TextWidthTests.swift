import Testing
import TestSupport
@testable import TerminalUI

/// Width rules for grapheme clusters whose width terminals disagree on, and the grid drawing them.
@Suite("TextWidth")
struct TextWidthTests {
    /// One hostile cluster per kind, with what the grid must draw for it and the columns it takes.
    struct Sample: Sendable, CustomStringConvertible {
        var name: String
        var text: Character
        var drawn: Character
        var width: Int
        var description: String { name }
    }

    static let samples: [Sample] = [
        Sample(name: "ZWJ family", text: "👨‍👩‍👧", drawn: "👨", width: 2),
        Sample(name: "ZWJ profession with skin tone", text: "🧑🏽‍💻", drawn: "🧑", width: 2),
        Sample(name: "flag", text: "🇺🇸", drawn: "\u{FFFD}", width: 1),
        Sample(name: "VS16 heart", text: "❤️", drawn: "❤", width: 1),
        Sample(name: "keycap", text: "1️⃣", drawn: "1", width: 1),
        Sample(name: "skin tone", text: "👍🏽", drawn: "👍", width: 2),
        Sample(name: "subdivision flag", text: "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}", drawn: "🏴", width: 2),
        Sample(name: "stacked combining marks", text: "e\u{301}\u{302}\u{303}\u{304}", drawn: "e", width: 1),
        Sample(name: "spacing vowel sign", text: "कि", drawn: "क", width: 1),
        Sample(name: "lone regional indicator", text: "\u{1F1FA}", drawn: "\u{FFFD}", width: 1),
        Sample(name: "text-presentation emoji", text: "\u{1F3F3}", drawn: "\u{1F3F3}", width: 1),
        Sample(name: "unassigned scalar", text: "\u{0378}", drawn: "\u{FFFD}", width: 1),
        Sample(name: "C1 control", text: "\u{85}", drawn: " ", width: 1),
        Sample(name: "one combining mark", text: "e\u{301}", drawn: "e\u{301}", width: 1),
        Sample(name: "wide", text: "任", drawn: "任", width: 2),
    ]

    @Test(arguments: samples)
    func clusterWidthIsTheWidthOfWhatIsDrawn(_ sample: Sample) {
        #expect(TextWidth.of(sample.text) == sample.width)
        var grid = Grid(width: 6, height: 1)
        let used = grid.put("[" + String(sample.text) + "]", x: 0, y: 0)
        #expect(used == sample.width + 2)
        let drawn = grid.line(0)
        #expect(drawn == "[" + String(sample.drawn) + "]")
        #expect(TerminalWidthOracle.width(of: drawn) == sample.width + 2, "a terminal would give \(drawn) another width")
    }

    /// Every scalar glibc knows (it is what tmux and most Linux terminals measure with): our table and
    /// `wcwidth` agree, so a single scalar is never drawn one column off. The large uniform blocks
    /// (Han, Hangul syllables, private use, planes 2 to 13) are checked at their ends and middle only,
    /// which keeps the test near a second on this loaded 2-core machine.
    @Test func scalarWidthsMatchGlibc() {
        let uniform: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xE000...0xF8FF,
                                              0x20000...0x3FFFF, 0x40000...0xDFFFF, 0xF0000...0x10FFFF]
        var values: [UInt32] = []
        var next: UInt32 = 0xA0
        for block in uniform {
            values += Array(next..<block.lowerBound) + [block.lowerBound, (block.lowerBound + block.upperBound) / 2, block.upperBound]
            next = block.upperBound + 1
        }
        var mismatches: [String] = []
        let glibc = TerminalWidthOracle.widths(of: values)
        for (value, expected) in zip(values, glibc) {
            guard expected >= 0, let scalar = Unicode.Scalar(value), scalar.properties.generalCategory != .unassigned else { continue }
            let actual = TextWidth.of(scalar)
            if actual != expected { mismatches.append(String(value, radix: 16, uppercase: true) + "=\(actual)/\(expected)") }
        }
        #expect(mismatches.isEmpty, "TextWidth/wcwidth differ for \(mismatches.count): \(mismatches.prefix(40).joined(separator: " "))")
    }

    /// A bordered pane whose rows hold names, hosts and args full of such clusters, cut at every
    /// width: each row takes exactly the grid's width on a terminal, so the right border stays put
    /// and no cell is left stale.
    @Test func rowsWithHostileTextNeverSpill() {
        let texts = [
            "tasks.notify_👨‍👩‍👧_family", "celery@host-🇺🇸🇩🇪🇯🇵", "('I ❤️ you', '👍🏽👍🏿')", "Z̷̢̛a̸͓͝l̵̨͠g̶̛͜o̷͎͊ t̵ext", "1️⃣2️⃣3️⃣ keycaps",
            "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} england", "मनीष कुमार", "mixed 任务 🔥 ❤ ✔️ ☺︎ done",
        ]
        for width in 8...40 {
            var grid = Grid(width: width, height: texts.count)
            for (row, text) in texts.enumerated() {
                grid.put("|", x: 0, y: row)
                grid.put(text, x: 1, y: row, truncatingTo: width - 2)
                grid.put("|", x: width - 1, y: row)
            }
            for row in 0..<grid.height {
                let (line, columns) = TerminalWidthOracle.row(row, of: grid)
                #expect(columns == width, "width \(width) row \(row): \(line)")
                #expect(grid[width - 1, row].character == "|", "width \(width) row \(row): \(line)")
            }
        }
    }

    @Test func asciiOnlyGridSendsNothingButASCIIInTheSameColumns() {
        var unicode = Grid(width: 30, height: 1)
        var ascii = Grid(width: 30, height: 1, glyphs: .ascii)
        let text = "任务 é e\u{301} 👨‍👩‍👧 × … —|"
        let wide = unicode.put(text, x: 0, y: 0)
        let narrow = ascii.put(text, x: 0, y: 0)
        #expect(wide == narrow)
        #expect(ascii.line(0) == "???? ? e ?? x ~ -|")
        #expect(ascii.line(0).unicodeScalars.allSatisfy { $0.isASCII })
    }
}
