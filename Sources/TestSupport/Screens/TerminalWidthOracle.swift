import Glibc
import TerminalUI

/// The width a real terminal gives text: glibc's `wcwidth` in C.UTF-8, summed scalar by scalar, which
/// is what tmux 3.3 does with whatever bytes it is sent. An oracle independent of `TextWidth`.
///
/// `wcwidth` is not imported into Swift (it needs `_XOPEN_SOURCE`), so it is looked up with `dlsym`;
/// the locale is set for the calling thread only (`uselocale`), leaving other tests alone.
/// Lives in TestSupport (not the product): the core reads no locale.
public enum TerminalWidthOracle {
    private typealias WidthFunction = @convention(c) (Int32) -> Int32

    private static let function: WidthFunction = {
        let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth")
        return unsafeBitCast(symbol!, to: WidthFunction.self)
    }()

    private nonisolated(unsafe) static let locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)

    /// `wcwidth` of one scalar: -1 for unassigned and control characters.
    public static func width(of scalar: UInt32) -> Int {
        let previous = uselocale(locale)
        defer { _ = uselocale(previous) }
        return Int(function(Int32(bitPattern: scalar)))
    }

    /// `wcwidth` of every scalar in `scalars`, under one locale switch.
    public static func widths(of scalars: some Sequence<UInt32>) -> [Int] {
        let previous = uselocale(locale)
        defer { _ = uselocale(previous) }
        return scalars.map { Int(function(Int32(bitPattern: $0))) }
    }

    /// The columns a terminal advances for `text`: every scalar on its own, controls counting 0.
    public static func width(of text: String) -> Int {
        let previous = uselocale(locale)
        defer { _ = uselocale(previous) }
        return text.unicodeScalars.reduce(0) { $0 + max(0, Int(function(Int32(bitPattern: $1.value)))) }
    }

    /// Row `y` of `grid` as a terminal receives it (every cell's glyph, continuation cells skipped)
    /// and the columns the terminal advances for it.
    public static func row(_ y: Int, of grid: Grid) -> (text: String, width: Int) {
        var text = ""
        for x in 0..<grid.width where !grid[x, y].isContinuation { text.append(grid[x, y].character) }
        return (text, width(of: text))
    }
}
