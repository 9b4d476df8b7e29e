import Foundation
import TerminalUI

/// A test-only hook: with `RETRYTOP_TEST_CRASH=1` in the environment, the dashboard crashes (a Swift
/// runtime trap, like any `fatalError`) right after its first frame, so an end-to-end test can check
/// that the crash guard gives the terminal back. Not an option and not in `--help`.
final class CrashTestTerminal: Terminal {
    private let wrapped: any Terminal

    /// `terminal` itself unless the hook is asked for.
    static func wrapIfRequested(_ terminal: any Terminal) -> any Terminal {
        ProcessInfo.processInfo.environment["RETRYTOP_TEST_CRASH"] == "1" ? CrashTestTerminal(terminal) : terminal
    }

    private init(_ terminal: any Terminal) { wrapped = terminal }

    var size: Size { wrapped.size }
    var glyphs: Glyphs { wrapped.glyphs }
    var hasHungUp: Bool { wrapped.hasHungUp }

    func draw(_ grid: Grid) {
        wrapped.draw(grid)
        fatalError("RETRYTOP_TEST_CRASH=1: crashing after the first frame, as the test asked")
    }

    func readKey(timeoutMs: Int) -> Key? { wrapped.readKey(timeoutMs: timeoutMs) }
    func restore() { wrapped.restore() }
}
