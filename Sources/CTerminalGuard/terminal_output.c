#include "terminal_output.h"

#include <signal.h>
#include <string.h>
#include <ncurses.h>
#include <term.h>

const char *rt_term_string(const char *name) {
    char *value = tigetstr(name);
    if (value == NULL || value == (char *)-1) { return NULL; }
    return value;
}

const char *rt_term_param1(const char *cap, int first) {
    if (cap == NULL) { return NULL; }
    return tiparm(cap, first);
}

const char *rt_term_param2(const char *cap, int first, int second) {
    if (cap == NULL) { return NULL; }
    return tiparm(cap, first, second);
}

static volatile sig_atomic_t resumed = 0;
static int watching = 0;

static void on_resume(int signal) {
    (void)signal;
    resumed = 1;
}

void rt_term_watch_resume(void) {
    if (watching) { return; }
    watching = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_resume;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGCONT, &action, NULL);
}

int rt_term_take_resumed(void) {
    if (!resumed) { return 0; }
    resumed = 0;
    return 1;
}
