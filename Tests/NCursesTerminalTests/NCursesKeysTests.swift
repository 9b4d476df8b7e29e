import Testing
import TerminalUI
@testable import NCursesTerminal

/// Escape sequences terminfo did not decode (a `TERM` that does not match the terminal) and control
/// characters, as `NCursesKeys` turns them into keys.
@Suite struct NCursesKeysTests {
    @Test func xtermAndVTSequencesWithAndWithoutModifiers() {
        let table: [(String, Key)] = [
            ("[A", .up), ("[B", .down), ("[C", .right), ("[D", .left), ("OA", .up), ("[1;5A", .up), ("[1;2D", .left),
            ("[H", .home), ("OH", .home), ("[F", .end), ("[Z", .backTab),
            ("[1~", .home), ("[7~", .home), ("[4~", .end), ("[8~", .end), ("[3~", .delete), ("[3;2~", .delete),
            ("[5~", .pageUp), ("[6~", .pageDown),
            ("OP", .f(1)), ("OS", .f(4)), ("[11~", .f(1)), ("[15~", .f(5)), ("[17~", .f(6)), ("[21~", .f(10)),
            ("[23~", .f(11)), ("[24~", .f(12)),
        ]
        for (sequence, key) in table {
            #expect(NCursesKeys.key(escapeSequence: sequence) == key, "\(sequence)")
        }
    }

    @Test func anythingElseIsAnUnknownEscapeNeverACrash() {
        for sequence in ["", "[", "x", "[2~", "[16~", "[99~", "[~", "[;~", "[X", "]A", "O", "[1;5", "[\u{301}A"] {
            #expect(NCursesKeys.key(escapeSequence: sequence) == .unknown(27), "\(sequence)")
        }
    }

    @Test func controlCharactersBecomeNamedKeys() {
        #expect(NCursesKeys.key(character: 9) == .tab)
        #expect(NCursesKeys.key(character: 10) == .enter && NCursesKeys.key(character: 13) == .enter)
        #expect(NCursesKeys.key(character: 27) == .escape)
        #expect(NCursesKeys.key(character: 8) == .backspace && NCursesKeys.key(character: 127) == .backspace)
        #expect(NCursesKeys.key(character: 0) == .ctrl(" "))
        #expect(NCursesKeys.key(character: 3) == .ctrl("c"))
        #expect(NCursesKeys.key(character: 28) == .ctrl("\\"))
        #expect(NCursesKeys.key(character: 0x71) == .char("q"))
        #expect(NCursesKeys.key(character: 0x1F600) == .char("😀"))
        #expect(NCursesKeys.key(character: 0xD800) == .unknown(0xD800), "a lone surrogate is no character")
        #expect(NCursesKeys.key(character: 0xFFFF_FFFF) == .unknown(-1))
    }
}
