import CNcurses
import TerminalUI

/// Chooses the process locale before `initscr` and the glyph set that goes with it.
///
/// ncursesw only decodes and encodes UTF-8 when LC_CTYPE says so. With no UTF-8 locale in the
/// environment (no `LANG`), we switch to `C.UTF-8` (always present on Debian); only when that fails
/// too do we fall back to ASCII glyphs in the user's own locale.
enum TerminalLocale {
    static func configure(forceASCII: Bool) -> Glyphs {
        _ = setlocale(LC_ALL, "")
        if rt_locale_is_utf8() != 0 { return forceASCII ? .ascii : .unicode }
        if setlocale(LC_ALL, "C.UTF-8") != nil, rt_locale_is_utf8() != 0 {
            return forceASCII ? .ascii : .unicode
        }
        _ = setlocale(LC_ALL, "")
        return .ascii
    }
}
