#ifndef RETRYTOP_TERMINAL_GUARD_H
#define RETRYTOP_TERMINAL_GUARD_H

/*
 * Gives the shell its terminal back however retrytop ends, including a crash.
 *
 * A crash handler cannot call endwin() (not async-signal-safe), so everything it needs is prepared
 * while curses starts: the shell's termios (saved before initscr) and the bytes that undo curses'
 * terminal modes (sgr0, rmkx, rmcup, cnorm from terminfo, saved after initscr). While the dashboard
 * is on screen, stderr goes to an unlinked temporary file, so a runtime message ("Fatal error: ...")
 * is not written onto the alternate screen, where it would vanish; restoring copies it back to the
 * real stderr (at most RT_GUARD_REPLAY_LIMIT bytes). Only write, read, lseek, dup2, tcsetattr,
 * sigaction and raise run in the handler.
 */

/* Bytes of captured stderr copied back to the terminal at most. */
#define RT_GUARD_REPLAY_LIMIT 65536

/* What terminfo says about `term`: 1 usable; 0 unknown, generic (dumb) or unable to move the cursor
 * (setupterm cannot tell an unknown name from a generic entry); -1 no terminfo database at all.
 * Does not exit the process (unlike initscr). */
int rt_guard_probe_terminal(const char *term);

/* Saves the termios of `tty_fd`; call before initscr. */
void rt_guard_save_termios(int tty_fd);

/* Saves the reset sequence of the terminal curses now drives; call after initscr. */
void rt_guard_save_reset_sequence(void);

/* Sends stderr to an unlinked temporary file until rt_guard_restore; returns 0, or -1 (stderr unchanged). */
int rt_guard_capture_stderr(void);

/* Installs the handlers for SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE and SIGABRT, once. Each restores
 * the terminal and stderr, then hands the signal to the action installed before it (the default, or
 * Swift's backtracer, which now prints on the normal screen). */
void rt_guard_install_crash_handlers(void);

/* Puts stderr back and copies what was captured to it. Idempotent; async-signal-safe. */
void rt_guard_release_stderr(void);

/* Writes the saved reset sequence and termios back. Async-signal-safe; for the crash path only
 * (a normal exit uses endwin). */
void rt_guard_reset_terminal(void);

/* Turns on xterm mouse reporting (button presses and wheel, SGR 1006 coordinates) and adds the bytes
 * that turn it off to the crash path's reset sequence; call after rt_guard_save_reset_sequence. */
void rt_guard_mouse_on(void);

/* Turns mouse reporting off again if it was on (normal exits; idempotent, async-signal-safe). */
void rt_guard_mouse_off(void);

/* Forgets the reset sequence and termios after curses restored the terminal itself (endwin), so a
 * later crash does not write them a second time. */
void rt_guard_disarm(void);

#endif
