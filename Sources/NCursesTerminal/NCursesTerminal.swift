#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import CTerminalGuard
import TerminalUI

/// The real screen: an ncursesw adapter for the `Terminal` port. The only code that calls curses.
///
/// Set-up order matters: `TERM` checked first (`TerminalUnavailable`), the shell's termios saved and
/// the locale chosen before `initscr` (see `TerminalLocale`), restore handlers before `initscr` so
/// ours win over ncurses' own; after it, the crash guard (`CTerminalGuard`) saves the reset
/// sequence, takes stderr off the screen and installs the crash handlers. Input is cbreak/noecho
/// with keypad decoding and a 25 ms ESCDELAY so Esc is responsive. Right after `initscr` the screen
/// steps out and back once (`rt_settle_output`), so ncurses buffers a frame instead of writing at
/// every cursor move (`TerminalWriteCountTests`). `draw` writes only the runs `GridDiff` reports, in one
/// write of terminfo's strings (`FrameEncoder`), not through curses' refresh.
/// All calls must come from one thread. Create at most one instance per process.
public final class NCursesTerminal: Terminal {
    public private(set) var size: Size
    public let glyphs: Glyphs
    /// False in monochrome mode (no colour support or `NO_COLOR` set).
    public var usesColor: Bool { palette.usesColor }

    private let palette: NCursesPalette
    private var encoder: FrameEncoder
    /// The bytes of the frame being written, kept between frames for their capacity.
    private var output: [UInt8] = []
    private var previous: Grid?
    private var isActive = true

    /// Takes over the terminal.
    /// - Parameters:
    ///   - forceASCII: use ASCII glyphs even in a UTF-8 locale (a user option for broken fonts).
    ///   - noColor: monochrome; defaults to whether the `NO_COLOR` environment variable is set.
    ///   - mouse: report clicks and the wheel as `.mouse` keys (xterm 1000 + SGR 1006 modes, decoded by
    ///     `NCursesKeys`, not by curses' own mouse support, so the same bytes work under any `TERM`);
    ///     false (`--no-mouse`) leaves the terminal's own text selection alone.
    /// - Throws: `TerminalUnavailable` when `TERM` is unset, unknown or cannot move the cursor.
    public init(
        forceASCII: Bool = false, noColor: Bool = NCursesTerminal.environmentWantsNoColor, mouse: Bool = true
    ) throws(TerminalUnavailable) {
        let term = getenv("TERM").map { String(cString: $0) }
        if let unavailable = TerminalUnavailable.check(term: term, probe: { rt_guard_probe_terminal($0) }) {
            throw unavailable
        }
        rt_guard_save_termios(STDIN_FILENO)
        glyphs = TerminalLocale.configure(forceASCII: forceASCII)
        TerminalRestoration.installOnce()
        _ = initscr()
        // Before any mode is set: one write per frame instead of one per cursor move (see the shim).
        rt_settle_output()
        rt_guard_save_reset_sequence()
        _ = rt_guard_capture_stderr()
        rt_guard_install_crash_handlers()
        _ = cbreak()
        _ = noecho()
        _ = nonl()
        _ = keypad(rt_stdscr(), true)
        // No typeahead check while a frame is written: ncurses polled stdin about 12 times per frame to
        // abandon a refresh for pending keys; the loop reads every waiting key before it draws anyway.
        _ = typeahead(-1)
        _ = set_escdelay(25)
        _ = curs_set(0)
        if mouse { rt_guard_mouse_on() }
        let palette = NCursesPalette(noColor: noColor)
        self.palette = palette
        encoder = FrameEncoder(NCursesTerminal.capabilities(palette))
        rt_term_watch_resume()
        rt_untouch_stdscr()
        size = Size(width: Int(rt_cols()), height: Int(rt_lines()))
    }

    /// The terminal's strings for `FrameEncoder`. The cursor move is the fast ANSI form when terminfo's
    /// `cup` gives exactly its bytes at every sampled place (xterm, tmux, screen, the Linux console do).
    static func capabilities(_ palette: NCursesPalette) -> FrameEncoder.Capabilities {
        let cup = rt_term_string("cup").map { String(cString: $0) } ?? ""
        let move: @Sendable (Int, Int) -> [UInt8] = { row, column in
            rt_term_param2(cup, Int32(row), Int32(column)).map { Array(String(cString: $0).utf8) } ?? []
        }
        let ansi = FrameEncoder.Capabilities.ansi.moveCursor
        let samples = [(0, 0), (1, 2), (9, 9), (23, 79), (99, 999), (59, 199)]
        let movesLikeANSI = samples.allSatisfy { move($0.0, $0.1) == ansi($0.0, $0.1) }
        return FrameEncoder.Capabilities(
            clearScreen: NCursesPalette.bytes("clear") ?? FrameEncoder.Capabilities.ansi.clearScreen, reset: palette.reset,
            moveCursor: move, movesLikeANSI: movesLikeANSI, style: { palette.sequence(for: $0) })
    }

    /// True when `NO_COLOR` is set to a non-empty value (https://no-color.org).
    public static var environmentWantsNoColor: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }

    /// Writes the runs `GridDiff` reports as one write of the terminal's own strings (`FrameEncoder`),
    /// not through curses' refresh: that formatted every cursor move and colour change through tparm,
    /// about 190 moves and 280 colour changes a frame at 2,000 events/s. After ^Z and `fg` curses repaints
    /// its own (empty) idea of the screen, so the next frame is a full repaint.
    public func draw(_ grid: Grid) {
        guard isActive else { return }
        if rt_term_take_resumed() != 0 { previous = nil }
        let diff = GridDiff(from: previous, to: grid)
        output.removeAll(keepingCapacity: true)
        encoder.encode(diff, size: size, into: &output)
        previous = grid
        guard !output.isEmpty else { return }
        output.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// The pty reports a hang-up (or stdin is no longer a usable descriptor): the window or the ssh
    /// session is gone. ncurses then returns ERR at once from every read.
    public var hasHungUp: Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return errno != EINTR }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    public func readKey(timeoutMs: Int) -> Key? {
        guard isActive else { return nil }
        rt_timeout(Int32(clamping: timeoutMs))
        var value: wint_t = 0
        let result = rt_get_wch(&value)
        if result == ERR { return nil }
        if result == rt_key_code_yes() {
            let key = NCursesKeys.key(code: Int32(bitPattern: value))
            if key == .resize { handleResize() }
            return key
        }
        if value == 27 { return readAfterEscape() }
        return NCursesKeys.key(character: UInt32(value))
    }

    /// Tells a lone Esc from a sequence terminfo did not decode (wrong `TERM`) or an Alt combination.
    ///
    /// ncurses has already waited ESCDELAY for more bytes, so anything still buffered right after ESC
    /// came with it: a CSI/SS3 sequence is decoded by `NCursesKeys`, anything else is swallowed as
    /// `.unknown(27)` so that Alt+q never acts as q. A decoded key that follows is pushed back.
    private func readAfterEscape() -> Key {
        rt_timeout(0)
        var next: wint_t = 0
        let result = rt_get_wch(&next)
        if result == ERR { return .escape }
        if result == rt_key_code_yes() {
            _ = ungetch(Int32(bitPattern: next))
            return .escape
        }
        guard next == 0x5B || next == 0x4F else { return .unknown(27) }  // "[" or "O"
        var sequence = String(Character(Unicode.Scalar(UInt8(next))))
        let isCSI = next == 0x5B
        for _ in 0..<16 {
            guard rt_get_wch(&next) == OK, let scalar = Unicode.Scalar(UInt32(next)) else { break }
            sequence.unicodeScalars.append(scalar)
            // SS3 has one final byte; CSI ends at the first byte in 0x40...0x7E.
            if !isCSI || (0x40...0x7E).contains(scalar.value) { break }
        }
        return NCursesKeys.key(escapeSequence: sequence)
    }

    public func restore() {
        guard isActive else { return }
        isActive = false
        rt_guard_mouse_off()
        rt_restore_terminal()
        rt_guard_disarm()
        rt_guard_release_stderr()
    }

    deinit { restore() }

    /// Picks up the new size and makes the next draw repaint everything.
    private func handleResize() {
        size = Size(width: Int(rt_cols()), height: Int(rt_lines()))
        previous = nil
        // curses resized stdscr (which marks it changed): left so, the next read would refresh it over
        // the frame.
        rt_untouch_stdscr()
    }
}
