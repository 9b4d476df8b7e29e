/// Turns a frame's `GridDiff` into the bytes that paint it: for each changed run an absolute cursor
/// move, the run's style when it differs from the last one written, and its text in UTF-8. Pure; the
/// terminal's own strings come in as `Capabilities` (from terminfo in `NCursesTerminal`).
///
/// Every run starts with an absolute move, so the encoder never has to know where the terminal left
/// the cursor, and every style is written whole from a reset, so it never has to know which attributes
/// are on. A frame ends with the reset, so between frames the terminal is in its plain style.
/// The bottom-right cell is never written: on a terminal with automatic margins that can scroll the
/// whole screen up by a line (curses avoids it the same way).
public struct FrameEncoder {
    public struct Capabilities: Sendable {
        /// Clears the screen (and homes the cursor): the start of a full repaint.
        public var clearScreen: [UInt8]
        /// Back to the plain style.
        public var reset: [UInt8]
        /// The move to row, column (from 0).
        public var moveCursor: @Sendable (_ row: Int, _ column: Int) -> [UInt8]
        /// True when `moveCursor` is the ANSI `ESC [ row+1 ; column+1 H`, written here without a call.
        public var movesLikeANSI: Bool
        /// A style written whole, starting from the reset.
        public var style: @Sendable (Style) -> [UInt8]

        public init(
            clearScreen: [UInt8], reset: [UInt8], moveCursor: @escaping @Sendable (Int, Int) -> [UInt8], movesLikeANSI: Bool,
            style: @escaping @Sendable (Style) -> [UInt8]
        ) {
            self.clearScreen = clearScreen
            self.reset = reset
            self.moveCursor = moveCursor
            self.movesLikeANSI = movesLikeANSI
            self.style = style
        }

        /// The strings of an ANSI terminal (xterm, tmux, screen, the Linux console) with 8 colours.
        public static let ansi = Capabilities(
            clearScreen: Array("\u{1B}[H\u{1B}[2J".utf8), reset: Array("\u{1B}[m".utf8),
            moveCursor: { Array("\u{1B}[\($0 + 1);\($1 + 1)H".utf8) }, movesLikeANSI: true,
            style: { style in
                var codes = ["0"]
                if style.isBold { codes.append("1") }
                if style.isDim { codes.append("2") }
                if style.isUnderline { codes.append("4") }
                if style.isReverse { codes.append("7") }
                if style.foreground != .default { codes.append("3\(style.foreground.rawValue - 1)") }
                if style.background != .default { codes.append("4\(style.background.rawValue - 1)") }
                return Array("\u{1B}[\(codes.joined(separator: ";"))m".utf8)
            })
    }

    private let capabilities: Capabilities
    private var styles: [Style: [UInt8]] = [:]

    public init(_ capabilities: Capabilities) {
        self.capabilities = capabilities
    }

    /// Appends to `out` what paints `diff` on a terminal of `size`.
    public mutating func encode(_ diff: GridDiff, size: Size, into out: inout [UInt8]) {
        if diff.isFullRedraw {
            out += capabilities.reset
            out += capabilities.clearScreen
        }
        var current: Style?
        for run in diff.runs where run.row < size.height && run.x < size.width {
            // Never let the terminal wrap a run onto the next line, nor write the bottom-right cell.
            let room = size.width - run.x - (run.row == size.height - 1 ? 1 : 0)
            guard room > 0 else { continue }
            let text = run.width > room ? TextWidth.prefix(run.text, width: room) : run.text
            guard !text.isEmpty else { continue }
            moveCursor(row: run.row, column: run.x, into: &out)
            if current != run.style {
                out += styleBytes(run.style)
                current = run.style
            }
            out += text.utf8
        }
        if current != nil || diff.isFullRedraw { out += capabilities.reset }
    }

    private mutating func styleBytes(_ style: Style) -> [UInt8] {
        if let known = styles[style] { return known }
        let bytes = capabilities.style(style)
        styles[style] = bytes
        return bytes
    }

    private func moveCursor(row: Int, column: Int, into out: inout [UInt8]) {
        guard capabilities.movesLikeANSI else {
            out += capabilities.moveCursor(row, column)
            return
        }
        out.append(0x1B)
        out.append(UInt8(ascii: "["))
        Self.appendDecimal(row + 1, into: &out)
        out.append(UInt8(ascii: ";"))
        Self.appendDecimal(column + 1, into: &out)
        out.append(UInt8(ascii: "H"))
    }

    private static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        var divisor = 1
        while divisor * 10 <= value { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
