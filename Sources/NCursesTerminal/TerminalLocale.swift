#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import TerminalUI

/// Chooses the process locale before `initscr` and the glyph set that goes with it.
///
/// ncursesw only decodes and encodes UTF-8 when LC_CTYPE says so. With no locale named in the
/// environment at all (no `LC_ALL`, `LC_CTYPE` or `LANG`, common in containers whose terminal is
/// UTF-8 anyway), we switch to `C.UTF-8` (always present on Debian). A locale the user named that is
/// not UTF-8 (`LC_ALL=C`, `LANG=en_US.ISO-8859-1`) is taken at its word: the terminal may not show
/// UTF-8, so we keep that locale and draw ASCII only (`Glyphs.ascii`, text included).
enum TerminalLocale {
    static func configure(forceASCII: Bool) -> Glyphs {
        _ = setlocale(LC_ALL, "")
        if rt_locale_is_utf8() != 0 { return forceASCII ? .ascii : .unicode }
        if !namesLocale(), setlocale(LC_ALL, "C.UTF-8") != nil, rt_locale_is_utf8() != 0 {
            return forceASCII ? .ascii : .unicode
        }
        _ = setlocale(LC_ALL, "")
        return .ascii
    }

    /// Whether the environment names a locale for character handling (a non-empty `LC_ALL`,
    /// `LC_CTYPE` or `LANG`, the variables `setlocale` consults for LC_CTYPE).
    static func namesLocale() -> Bool {
        let names: [String] = ["LC_ALL", "LC_CTYPE", "LANG"]
        return names.contains { name in getenv(name).map { $0.pointee != 0 } ?? false }
    }
}
