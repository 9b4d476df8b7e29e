import CNcurses
import TerminalUI

/// Maps a `Style` to curses attributes and a colour pair, with one pair per (foreground, background).
///
/// Pairs are numbered `fg.rawValue * 9 + bg.rawValue`, so `(default, default)` is pair 0 and all 81
/// combinations are initialised once at start-up. Monochrome (no colours, or `NO_COLOR` set) keeps
/// only bold, reverse and underline, and shows a coloured background as reverse so banners stay visible.
struct NCursesPalette {
    let usesColor: Bool
    private var cache: [Style: (attrs: attr_t, pair: Int16)] = [:]

    private static let paletteSize = Int32(Color.allCases.count)

    /// Starts colour if the terminal has it and the user did not opt out; call after `initscr`.
    init(noColor: Bool) {
        guard !noColor, has_colors(), start_color() == OK,
              rt_colors() >= 8, rt_color_pairs() >= NCursesPalette.paletteSize * NCursesPalette.paletteSize
        else {
            usesColor = false
            return
        }
        let hasDefault = use_default_colors() == OK
        for fg in Color.allCases {
            for bg in Color.allCases where !(fg == .default && bg == .default) {
                let pair = Int16(Int32(fg.rawValue) * NCursesPalette.paletteSize + Int32(bg.rawValue))
                init_pair(pair, NCursesPalette.curses(fg, fallback: hasDefault ? -1 : Int16(COLOR_WHITE)),
                          NCursesPalette.curses(bg, fallback: hasDefault ? -1 : Int16(COLOR_BLACK)))
            }
        }
        usesColor = true
    }

    mutating func attributes(for style: Style) -> (attrs: attr_t, pair: Int16) {
        if let hit = cache[style] { return hit }
        var attrs = rt_attr_normal()
        if style.isBold { attrs |= rt_attr_bold() }
        if style.isReverse { attrs |= rt_attr_reverse() }
        if style.isUnderline { attrs |= rt_attr_underline() }
        var pair: Int16 = 0
        if usesColor {
            if style.isDim { attrs |= rt_attr_dim() }
            pair = Int16(Int32(style.foreground.rawValue) * NCursesPalette.paletteSize + Int32(style.background.rawValue))
        } else if style.background != .default {
            attrs |= rt_attr_reverse()
        }
        cache[style] = (attrs, pair)
        return (attrs, pair)
    }

    private static func curses(_ color: Color, fallback: Int16) -> Int16 {
        color == .default ? fallback : Int16(color.rawValue) - 1
    }
}
