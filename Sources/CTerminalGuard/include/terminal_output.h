#ifndef RETRYTOP_TERMINAL_OUTPUT_H
#define RETRYTOP_TERMINAL_OUTPUT_H

/*
 * Terminfo for writing frames straight to the terminal (NCursesTerminal.draw): curses still sets the
 * terminal up, reads keys and gives it back, but its refresh, which formatted every cursor move and
 * colour change through tparm (about 190 moves and 280 attribute changes per frame at 2,000 events/s),
 * is not used for frames. Call after initscr.
 */

/* The string capability `name` of the current terminal, or NULL when it is absent or cancelled. */
const char *rt_term_string(const char *name);

/* `cap` with one or two integer parameters (tiparm), or NULL. The result lives until the next call. */
const char *rt_term_param1(const char *cap, int first);
const char *rt_term_param2(const char *cap, int first, int second);

/* Notes SIGCONT (the dashboard resumed after ^Z: curses repainted its own idea of the screen, which
 * frames no longer update); installed once. */
void rt_term_watch_resume(void);

/* 1 once after each SIGCONT, else 0. */
int rt_term_take_resumed(void);

#endif
