#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses

/// Makes sure the shell gets a sane terminal back however the process ends.
///
/// `atexit` covers normal exits and `exit()` from anywhere; SIGINT, SIGTERM and SIGHUP restore and
/// exit with the conventional 128 + signal status. Calling `endwin` from a handler is not strictly
/// async-signal-safe, but it is what ncurses itself does for these signals and the process exits at once.
enum TerminalRestoration {
    /// Installs the handlers once per process (later calls do nothing).
    static func installOnce() { _ = installed }

    private static let installed: Void = {
        atexit { rt_restore_terminal() }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in
                rt_restore_terminal()
                _exit(128 + received)
            }
        }
    }()
}
