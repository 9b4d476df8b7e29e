import Testing

@testable import TerminalUI

/// `FrameEncoder` is checked by painting its bytes on a small ANSI screen model (cursor moves, clear,
/// SGR, UTF-8 text with wide graphemes) and comparing every cell, text and style, with the grid drawn.
@Suite struct FrameEncoderTests {
    /// The terminal side: what the bytes of `FrameEncoder.Capabilities.ansi` do to a screen.
    struct Screen {
        let width: Int
        let height: Int
        var cells: [[(text: String, style: Style)]]
        var row = 0
        var column = 0
        var style = Style.plain
        /// Writes that landed on the bottom-right cell or past the right edge.
        var edgeWrites = 0
        var sequences = (moves: 0, styles: 0)

        init(width: Int, height: Int) {
            self.width = width
            self.height = height
            cells = Array(repeating: Array(repeating: (" ", Style.plain), count: width), count: height)
        }

        mutating func apply(_ bytes: [UInt8]) {
            var index = 0
            var text: [UInt8] = []
            func flushText() {
                for character in String(decoding: text, as: UTF8.self) {
                    let wide = TextWidth.of(String(character)) == 2
                    if column >= width || (row == height - 1 && column + (wide ? 1 : 0) >= width - 1) { edgeWrites += 1 }
                    guard row < height, column < width else { continue }
                    cells[row][column] = (String(character), style)
                    if wide, column + 1 < width { cells[row][column + 1] = ("", style) }
                    column += wide ? 2 : 1
                }
                text.removeAll()
            }
            while index < bytes.count {
                guard bytes[index] == 0x1B else {
                    text.append(bytes[index])
                    index += 1
                    continue
                }
                flushText()
                var end = index + 2
                while end < bytes.count, !(0x40...0x7E).contains(bytes[end]) { end += 1 }
                let parameters = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
                let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                switch bytes[end] {
                case UInt8(ascii: "H"):
                    sequences.moves += 1
                    row = max(1, numbers.first ?? 1) - 1
                    column = max(1, numbers.count > 1 ? numbers[1] : 1) - 1
                case UInt8(ascii: "J"):
                    cells = Array(repeating: Array(repeating: (" ", Style.plain), count: width), count: height)
                case UInt8(ascii: "m"):
                    sequences.styles += 1
                    for code in numbers {
                        switch code {
                        case 0: style = .plain
                        case 1: style.isBold = true
                        case 2: style.isDim = true
                        case 4: style.isUnderline = true
                        case 7: style.isReverse = true
                        case 30...37: style.foreground = Color(rawValue: UInt8(code - 29)) ?? .default
                        case 40...47: style.background = Color(rawValue: UInt8(code - 39)) ?? .default
                        default: Issue.record("unexpected SGR \(code)")
                        }
                    }
                default: Issue.record("unexpected sequence \(parameters)\(Character(UnicodeScalar(bytes[end])))")
                }
                index = end + 1
            }
            flushText()
        }

        /// Cells that differ from `grid`, as "x,y". The bottom-right cell is never written, nor a wide
        /// grapheme that would cover it.
        func differences(from grid: Grid) -> [String] {
            var found: [String] = []
            for y in 0..<height {
                for x in 0..<width where !(y == height - 1 && x == width - 1) {
                    let cell = grid[x, y]
                    if y == height - 1, x == width - 2, cell.width == 2 { continue }
                    let expected = cell.isContinuation ? "" : String(cell.character)
                    if cells[y][x].text != expected || cells[y][x].style != cell.style {
                        found.append("\(x),\(y): \(cells[y][x]) != \(expected) \(cell.style)")
                    }
                }
            }
            return found
        }
    }

    static let styles: [Style] = [
        .plain, Style(fg: .cyan, bold: true), Style(fg: .red), Style(fg: .black, bg: .yellow), Style(dim: true),
        Style(reverse: true), Style(fg: .green, underline: true),
    ]
    static let words = ["retry", "ValueError", "tâche", "任务", "w8", "⏳", "→", "12:04", "   ", "celery@host-3", "🚀"]

    static func randomGrid(width: Int, height: Int, using generator: inout some RandomNumberGenerator) -> Grid {
        var grid = Grid(width: width, height: height)
        for _ in 0..<Int.random(in: 0...(width * height / 6), using: &generator) {
            let text = (0..<Int.random(in: 1...4, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
            _ = grid.put(text, x: Int.random(in: 0..<width, using: &generator), y: Int.random(in: 0..<height, using: &generator),
                         style: styles.randomElement(using: &generator)!)
        }
        return grid
    }

    /// 200 random frames in a row, each encoded from the one before (the first and every 50th a full
    /// repaint): the screen always shows exactly the last grid, and nothing is written on the
    /// bottom-right cell or past the right edge.
    @Test func theScreenShowsEveryFrameExactly() {
        var generator = SplitMix64(seed: 17)
        let (width, height) = (37, 9)
        var encoder = FrameEncoder(.ansi)
        var screen = Screen(width: width, height: height)
        var previous: Grid?
        for frame in 0..<200 {
            let grid = Self.randomGrid(width: width, height: height, using: &generator)
            var bytes: [UInt8] = []
            encoder.encode(GridDiff(from: frame % 50 == 0 ? nil : previous, to: grid), size: Size(width: width, height: height), into: &bytes)
            screen.apply(bytes)
            let differences = screen.differences(from: grid)
            #expect(differences.isEmpty, "frame \(frame): \(differences.prefix(5))")
            #expect(screen.style == .plain, "a frame ends in the plain style")
            previous = grid
        }
        #expect(screen.edgeWrites == 0)
    }

    /// One move per run, and a style only where it changes: a row of three runs in one style is one
    /// style sequence and the closing reset.
    @Test func aStyleIsWrittenOnlyWhereItChanges() {
        let before = Grid(width: 30, height: 3)
        var after = before
        let red = Style(fg: .red)
        _ = after.put("a", x: 1, y: 1, style: red)
        _ = after.put("b", x: 10, y: 1, style: red)
        _ = after.put("c", x: 20, y: 1, style: red)
        var bytes: [UInt8] = []
        var encoder = FrameEncoder(.ansi)
        encoder.encode(GridDiff(from: before, to: after), size: Size(width: 30, height: 3), into: &bytes)
        var screen = Screen(width: 30, height: 3)
        screen.apply(bytes)
        #expect(screen.sequences.moves == 3)
        #expect(screen.sequences.styles == 2)
        #expect(String(decoding: bytes, as: UTF8.self) == "\u{1B}[2;2H\u{1B}[0;31ma\u{1B}[2;11Hb\u{1B}[2;21Hc\u{1B}[m")
        var unchanged: [UInt8] = []
        encoder.encode(GridDiff(from: after, to: after), size: Size(width: 30, height: 3), into: &unchanged)
        #expect(unchanged.isEmpty, "nothing changed, nothing written")
    }

    /// The ANSI move written in place is the capability's own bytes, at any place.
    @Test func theInPlaceMoveIsTheCapabilitysMove() {
        var slow = FrameEncoder.Capabilities.ansi
        slow.movesLikeANSI = false
        var generator = SplitMix64(seed: 3)
        var previous: Grid?
        var fastEncoder = FrameEncoder(.ansi)
        var slowEncoder = FrameEncoder(slow)
        for _ in 0..<20 {
            let grid = Self.randomGrid(width: 120, height: 40, using: &generator)
            var fast: [UInt8] = []
            var reference: [UInt8] = []
            fastEncoder.encode(GridDiff(from: previous, to: grid), size: Size(width: 120, height: 40), into: &fast)
            slowEncoder.encode(GridDiff(from: previous, to: grid), size: Size(width: 120, height: 40), into: &reference)
            #expect(fast == reference)
            previous = grid
        }
    }
}

/// A small seeded generator, so a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
