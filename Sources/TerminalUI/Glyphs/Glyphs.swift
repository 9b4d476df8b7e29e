/// The symbols widgets draw with: UTF-8 box drawing and blocks, or a plain ASCII fallback.
///
/// Chosen once at startup by the terminal adapter (ASCII when the locale cannot do UTF-8) and carried
/// by every `Grid` made for that terminal, so widgets never decide it themselves. Every glyph is one
/// column wide in both sets, so layouts are identical. The ASCII set is also ASCII-only for text
/// (`isASCIIOnly`): `--ascii` and a non-UTF-8 locale both mean "send nothing but ASCII".
public struct Glyphs: Hashable, Sendable {
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var horizontal: Character
    public var vertical: Character
    public var teeLeft: Character
    public var teeRight: Character
    /// Selection marker in lists (▸).
    public var pointer: Character
    /// "Back" marker for drill-down headers (◂).
    public var back: Character
    /// Filled status dot (●), e.g. an online worker.
    public var bullet: Character
    /// Hollow status dot (○), e.g. an offline worker.
    public var hollowBullet: Character
    /// Marked-row glyph in tables.
    public var mark: Character
    public var warning: Character
    public var ellipsis: String
    public var arrowUp: Character
    public var arrowDown: Character
    public var times: Character
    public var dash: Character
    /// Sparkline levels, lowest first.
    public var sparkline: [Character]
    /// Partial progress cells by eighths, 1/8 first, full block last (ASCII has only the full cell).
    public var progress: [Character]
    public var progressLeftCap: Character
    public var progressRightCap: Character
    /// True for a terminal that can only show ASCII: the grid then draws every non-ASCII grapheme
    /// of text as `asciiStandIn(for:)`, once per column it would take.
    public var isASCIIOnly: Bool

    public static let unicode = Glyphs(
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│",
        teeLeft: "├", teeRight: "┤", pointer: "▸", back: "◂", bullet: "●", hollowBullet: "○", mark: "●",
        warning: "⚠", ellipsis: "…", arrowUp: "↑", arrowDown: "↓", times: "×", dash: "—",
        sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        progress: ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        progressLeftCap: "▕", progressRightCap: "▏", isASCIIOnly: false
    )

    public static let ascii = Glyphs(
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|",
        teeLeft: "+", teeRight: "+", pointer: ">", back: "<", bullet: "*", hollowBullet: "o", mark: "*",
        warning: "!", ellipsis: "~", arrowUp: "^", arrowDown: "v", times: "x", dash: "-",
        sparkline: [".", ":", "-", "=", "+", "*", "#", "%", "@"],
        progress: ["#"],
        progressLeftCap: "[", progressRightCap: "]", isASCIIOnly: true
    )

    /// The ASCII character drawn for a non-ASCII one on an ASCII-only terminal: the look-alike for
    /// the few symbols retrytop's own texts use (×, …, dashes, quotes, arrows, dots), else `?`.
    public static func asciiStandIn(for character: Character) -> Character {
        switch character {
        case "×": "x"
        case "…": "~"
        case "—", "–", "─", "−": "-"
        case "‘", "’", "′": "'"
        case "“", "”", "″": "\""
        case "→", "▸", "›": ">"
        case "←", "◂", "‹": "<"
        case "↑": "^"
        case "↓": "v"
        case "●", "•", "·": "*"
        case "○": "o"
        case "│": "|"
        case "\u{A0}": " "
        default: "?"
        }
    }
}
