#ifndef RETRYTOP_CNCURSES_SHIM_H
#define RETRYTOP_CNCURSES_SHIM_H
/* SwiftPM drops ncursesw's -D_XOPEN_SOURCE=600; this brings back the wide-character API. */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>
#include <ncurses.h>

/* Macros and mutable globals Swift cannot import, wrapped as prefixed functions. */

static inline WINDOW *rt_stdscr(void) { return stdscr; }
static inline int rt_cols(void) { return COLS; }
static inline int rt_lines(void) { return LINES; }
static inline int rt_colors(void) { return COLORS; }

static inline int rt_key_f(int n) { return KEY_F(n); }
static inline int rt_key_code_yes(void) { return KEY_CODE_YES; }

/* Reads one key or wide character; returns OK, KEY_CODE_YES or ERR. */
static inline int rt_get_wch(wint_t *out) { return get_wch(out); }

/* Waits up to ms milliseconds in get_wch (0 polls, negative blocks). */
static inline void rt_timeout(int ms) { timeout(ms); }

/* True when the current LC_CTYPE codeset is UTF-8. */
static inline int rt_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/* Leaves curses' "initial" state once, right after initscr: ncurses 6.4 flushes its output buffer
   after every internal cursor move while the screen has never been through endwin (its _endwin stays
   ewInitial), so each frame became hundreds of write(2) calls. endwin + refresh is the documented way
   to step out and back; on an empty screen it draws nothing visible. */
static inline void rt_settle_output(void) {
    endwin();
    refresh();
}

/* Restores the terminal if curses is active; safe to call repeatedly, from atexit and signals.
   Frames move the cursor without curses knowing (NCursesTerminal.draw), and endwin's last move starts
   from where curses believes it is: the move to the last line is made first, from an unknown place
   (-1, -1), with absolute addressing. */
static inline void rt_restore_terminal(void) {
    if (stdscr != NULL && !isendwin()) {
        mvcur(-1, -1, LINES - 1, 0);
        endwin();
    }
}

/* Marks every line of stdscr unchanged, so that get_wch never refreshes it over a frame. */
static inline void rt_untouch_stdscr(void) { wtouchln(stdscr, 0, LINES, 0); }
#endif
