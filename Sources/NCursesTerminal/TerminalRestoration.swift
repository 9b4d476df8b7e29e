#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import CTerminalGuard

/// Makes sure the shell gets a sane terminal back however the process ends.
///
/// `atexit` covers normal exits and `exit()` from anywhere; SIGINT, SIGTERM and SIGHUP restore and
/// exit with the conventional 128 + signal status. Calling `endwin` from a handler is not strictly
/// async-signal-safe, but it is what ncurses itself does for these signals and the process exits at once.
/// Crashes (SIGSEGV, SIGILL, SIGABRT, ...) are handled by `CTerminalGuard` with saved sequences only.
/// Each path also gives stderr back, with what was written to it while the dashboard was on screen.
enum TerminalRestoration {
    /// Installs the handlers once per process (later calls do nothing).
    static func installOnce() { _ = installed }

    private static let installed: Void = {
        atexit {
            rt_guard_mouse_off()
            rt_restore_terminal()
            rt_guard_disarm()
            rt_guard_release_stderr()
        }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in
                rt_guard_mouse_off()
            rt_restore_terminal()
                rt_guard_disarm()
                rt_guard_release_stderr()
                _exit(128 + received)
            }
        }
    }()
}
