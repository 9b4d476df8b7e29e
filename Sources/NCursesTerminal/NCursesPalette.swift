import CNcurses
import CTerminalGuard
import TerminalUI

/// Writes a `Style` as the terminal's own attribute strings (terminfo's `sgr0`, `bold`, `dim`, `rev`,
/// `smul`, `setaf`, `setab`), each style whole from the reset; `FrameEncoder` keeps them per style.
///
/// Monochrome (no colours, or `NO_COLOR` set) keeps only bold, reverse and underline, and shows a
/// coloured background as reverse so banners stay visible.
struct NCursesPalette: Sendable {
    let usesColor: Bool
    let reset: [UInt8]
    private let bold: [UInt8]
    private let dim: [UInt8]
    private let reverse: [UInt8]
    private let underline: [UInt8]
    private let setForeground: String?
    private let setBackground: String?

    /// Reads the terminal's strings; call after `initscr`.
    init(noColor: Bool) {
        reset = NCursesPalette.bytes("sgr0") ?? Array("\u{1B}[m".utf8)
        bold = NCursesPalette.bytes("bold") ?? []
        dim = NCursesPalette.bytes("dim") ?? []
        reverse = NCursesPalette.bytes("rev") ?? []
        underline = NCursesPalette.bytes("smul") ?? []
        setForeground = rt_term_string("setaf").map { String(cString: $0) }
        setBackground = rt_term_string("setab").map { String(cString: $0) }
        // `COLORS` is known once colour is started.
        usesColor = !noColor && has_colors() && start_color() == OK && rt_colors() >= 8 && setForeground != nil
            && setBackground != nil
        if usesColor { _ = use_default_colors() }
    }

    /// The bytes that put the terminal in `style`, starting from the reset.
    func sequence(for style: Style) -> [UInt8] {
        var out = reset
        if style.isBold { out += bold }
        if style.isUnderline { out += underline }
        if usesColor {
            if style.isReverse { out += reverse }
            if style.isDim { out += dim }
            if style.foreground != .default { out += Self.color(setForeground, style.foreground) }
            if style.background != .default { out += Self.color(setBackground, style.background) }
        } else if style.isReverse || style.background != .default {
            out += reverse
        }
        return out
    }

    /// A terminfo string capability's bytes, nil when the terminal has none.
    static func bytes(_ name: String) -> [UInt8]? {
        rt_term_string(name).map { Array(String(cString: $0).utf8) }
    }

    private static func color(_ capability: String?, _ color: Color) -> [UInt8] {
        guard let capability, let text = rt_term_param1(capability, Int32(color.rawValue) - 1) else { return [] }
        return Array(String(cString: text).utf8)
    }
}
