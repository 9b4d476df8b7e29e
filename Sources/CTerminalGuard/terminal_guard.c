#define _GNU_SOURCE
#include "terminal_guard.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <ncurses.h>
#include <term.h>

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved = 0;
static int termios_fd = -1;

static char reset_sequence[512];
static volatile sig_atomic_t reset_length = 0;
static volatile sig_atomic_t terminal_armed = 0;

static int real_stderr = -1;
static int captured_stderr = -1;
static volatile sig_atomic_t stderr_captured = 0;

static const int crash_signals[] = { SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT };
#define CRASH_SIGNAL_COUNT (sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction previous_actions[CRASH_SIGNAL_COUNT];
static int handlers_installed = 0;

int rt_guard_probe_terminal(const char *term) {
    int status = 0;
    if (setupterm(term, STDOUT_FILENO, &status) != OK) {
        return status == 0 ? 0 : -1;
    }
    const char *cup = tigetstr("cup");
    int usable = cup != NULL && cup != (char *)-1 && !tigetflag("hc");
    del_curterm(cur_term);
    return usable ? 1 : 0;
}

void rt_guard_save_termios(int tty_fd) {
    if (tcgetattr(tty_fd, &saved_termios) == 0) {
        termios_fd = tty_fd;
        termios_saved = 1;
    }
}

static void append_capability(const char *name, size_t *length) {
    const char *value = tigetstr(name);
    if (value == NULL || value == (char *)-1) { return; }
    size_t size = strlen(value);
    if (*length + size >= sizeof reset_sequence) { return; }
    memcpy(reset_sequence + *length, value, size);
    *length += size;
}

void rt_guard_save_reset_sequence(void) {
    size_t length = 0;
    /* cnorm after rmcup, so the cursor shows on the screen the shell gets back. */
    append_capability("sgr0", &length);
    append_capability("rmkx", &length);
    append_capability("rmcup", &length);
    append_capability("cnorm", &length);
    reset_length = (sig_atomic_t)length;
    terminal_armed = 1;
}

int rt_guard_capture_stderr(void) {
    if (stderr_captured) { return 0; }
    char path[] = "/tmp/retrytop-stderr-XXXXXX";
    int file = mkstemp(path);
    if (file < 0) { return -1; }
    unlink(path);
    int saved = dup(STDERR_FILENO);
    if (saved < 0 || dup2(file, STDERR_FILENO) < 0) {
        if (saved >= 0) { close(saved); }
        close(file);
        return -1;
    }
    real_stderr = saved;
    captured_stderr = file;
    stderr_captured = 1;
    return 0;
}

static void write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) { continue; }
            return;
        }
        bytes += written;
        length -= (size_t)written;
    }
}

void rt_guard_release_stderr(void) {
    if (!stderr_captured) { return; }
    stderr_captured = 0;
    int saved_errno = errno;
    dup2(real_stderr, STDERR_FILENO);
    if (lseek(captured_stderr, 0, SEEK_SET) == 0) {
        char buffer[4096];
        size_t copied = 0;
        while (copied < RT_GUARD_REPLAY_LIMIT) {
            ssize_t got = read(captured_stderr, buffer, sizeof buffer);
            if (got < 0 && errno == EINTR) { continue; }
            if (got <= 0) { break; }
            size_t take = (size_t)got;
            if (copied + take > RT_GUARD_REPLAY_LIMIT) { take = RT_GUARD_REPLAY_LIMIT - copied; }
            write_all(STDERR_FILENO, buffer, take);
            copied += take;
        }
        if (copied >= RT_GUARD_REPLAY_LIMIT) {
            static const char note[] = "\nretrytop: (further stderr output while the dashboard was on screen not shown)\n";
            write_all(STDERR_FILENO, note, sizeof note - 1);
        }
    }
    close(captured_stderr);
    close(real_stderr);
    captured_stderr = -1;
    real_stderr = -1;
    errno = saved_errno;
}

static const char mouse_on_sequence[] = "\033[?1000h\033[?1006h";
static const char mouse_off_sequence[] = "\033[?1006l\033[?1000l";
static volatile sig_atomic_t mouse_reporting = 0;

void rt_guard_mouse_on(void) {
    if (mouse_reporting) { return; }
    size_t length = (size_t)reset_length;
    size_t size = sizeof mouse_off_sequence - 1;
    if (length + size < sizeof reset_sequence) {
        /* Off before the rest of the reset: the shell must never get mouse reports as typed text. */
        memmove(reset_sequence + size, reset_sequence, length);
        memcpy(reset_sequence, mouse_off_sequence, size);
        reset_length = (sig_atomic_t)(length + size);
    }
    mouse_reporting = 1;
    write_all(STDOUT_FILENO, mouse_on_sequence, sizeof mouse_on_sequence - 1);
}

void rt_guard_mouse_off(void) {
    if (!mouse_reporting) { return; }
    mouse_reporting = 0;
    write_all(STDOUT_FILENO, mouse_off_sequence, sizeof mouse_off_sequence - 1);
}

void rt_guard_reset_terminal(void) {
    if (terminal_armed) {
        terminal_armed = 0;
        write_all(STDOUT_FILENO, reset_sequence, (size_t)reset_length);
    }
    if (termios_saved) {
        termios_saved = 0;
        tcsetattr(termios_fd, TCSANOW, &saved_termios);
    }
}

void rt_guard_disarm(void) {
    terminal_armed = 0;
    termios_saved = 0;
}

static void on_crash(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    rt_guard_reset_terminal();
    rt_guard_release_stderr();
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] == signal_number) { sigaction(signal_number, &previous_actions[i], NULL); }
    }
    /* A signal that was sent (abort, raise, kill) is sent again and arrives when this handler
     * returns; a fault simply happens again when the faulting instruction is re-executed. Either way
     * the previous action now sees it with the terminal already restored. */
    if (info == NULL || info->si_code <= 0) { raise(signal_number); }
}

void rt_guard_install_crash_handlers(void) {
    if (handlers_installed) { return; }
    handlers_installed = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_crash;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        sigaction(crash_signals[i], &action, &previous_actions[i]);
    }
}
