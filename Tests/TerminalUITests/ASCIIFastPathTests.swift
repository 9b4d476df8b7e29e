import Testing
@testable import TerminalUI

/// Printable ASCII takes a byte-by-byte path in `Grid.put` and `TextWidth.of` (no grapheme breaking);
/// it must draw and measure exactly as the general path does.
@Suite struct ASCIIFastPathTests {
    @Test func widthOfPrintableASCIIIsItsLengthAndOtherTextIsMeasuredByCharacters() {
        #expect(TextWidth.of("HTTPError: 429 Too Many Requests") == 32)
        #expect(TextWidth.of("") == 0)
        #expect(TextWidth.isPrintableASCII("a b~"))
        #expect(!TextWidth.isPrintableASCII("tab\there"))
        #expect(!TextWidth.isPrintableASCII("del\u{7F}"))
        // CR LF is one grapheme (one column), two bytes: not the fast path.
        #expect(!TextWidth.isPrintableASCII("a\r\nb"))
        #expect(TextWidth.of("a\r\nb") == 3)
        #expect(TextWidth.of("数据 ok") == 7)
    }

    /// The check reads eight bytes at a time: every byte value, at every place in strings of 1 to 40
    /// bytes (small and heap-stored, within a word and in the tail), is judged as a byte-by-byte check would.
    @Test func theWordAtATimeCheckJudgesEveryByteAtEveryPlace() {
        for length in 1...40 {
            for place in [0, length / 2, length - 1] {
                for value in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[place] = value
                    let expected = value >= 0x20 && value < 0x7F
                    let judged = bytes.withUnsafeBufferPointer { TextWidth.isPrintableASCII($0) }
                    #expect(judged == expected, "byte \(value) at \(place) of \(length)")
                }
            }
            let text = String(repeating: "~", count: length)
            #expect(TextWidth.isPrintableASCII(text))
            #expect(!TextWidth.isPrintableASCII(text + "é"))
            #expect(!TextWidth.isPrintableASCII("\u{1F}" + text))
        }
    }

    @Test func putOfPrintableASCIIClipsLikeTheGeneralPath() {
        let text = "retry in 4s"
        let style = Style.plain.bold()
        for x in [-4, -1, 0, 3, 15, 19, 25] {
            for maxWidth in [nil, 0, 3, 100] as [Int?] {
                var fast = Grid(width: 20, height: 2)
                let used = fast.put(text, x: x, y: 1, style: style, maxWidth: maxWidth)
                // The expected cells, one by one, from the rules of `put`: clipped to the grid and `maxWidth`.
                var expected = Grid(width: 20, height: 2)
                let limit = min(20, maxWidth.map { x + max(0, $0) } ?? 20)
                var col = x
                for character in text {
                    if col >= limit { break }
                    if col >= 0 { expected[col, 1] = Cell(character, width: 1, style: style) }
                    col += 1
                }
                #expect(fast == expected, "x \(x), maxWidth \(String(describing: maxWidth))")
                #expect(used == max(0, col - x), "x \(x), maxWidth \(String(describing: maxWidth))")
            }
        }
    }
}
