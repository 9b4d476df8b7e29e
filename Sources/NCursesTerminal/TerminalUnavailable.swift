/// Why the dashboard cannot take over this terminal, said in words a user can act on.
///
/// Checked before curses starts: `initscr` itself would print ncurses' bare "Error opening terminal"
/// and exit, and a `dumb` terminal (no cursor addressing) would get a garbled line instead of a screen.
public struct TerminalUnavailable: Error, CustomStringConvertible, Equatable {
    public let description: String

    static let alternatives = "use `retrytop snapshot` or `retrytop events`, or set TERM=xterm-256color"

    /// The error for `term` (the `TERM` value, nil when unset) given what terminfo said about it.
    static func check(term: String?, probe: (String) -> Int32) -> TerminalUnavailable? {
        guard let term, !term.isEmpty else {
            return TerminalUnavailable(description: "TERM is not set, so the dashboard cannot draw; \(alternatives)")
        }
        switch probe(term) {
        case 1: return nil
        case 0:
            return TerminalUnavailable(
                description: "TERM='\(term)' cannot draw the dashboard (unknown to terminfo, or a terminal without cursor movement); \(alternatives)")
        default:
            return TerminalUnavailable(description: "TERM='\(term)': no terminfo database found; \(alternatives)")
        }
    }
}
