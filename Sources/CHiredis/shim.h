#ifndef RETRYTOP_CHIREDIS_SHIM_H
#define RETRYTOP_CHIREDIS_SHIM_H

/*
 * The C side of RedisLink. Swift cannot read hiredis' fixed-size `errstr`, call variadic functions,
 * use `SIG_IGN` or read `errno` reliably across an import boundary, so those few things live here as
 * `static inline` functions with names that say what they do. No numbers cross into Swift unnamed.
 */

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <hiredis/hiredis.h>

/* Reply kinds, re-exported as named constants so Swift never compares against a bare number. */
static const int chiredis_reply_string = REDIS_REPLY_STRING;
static const int chiredis_reply_array = REDIS_REPLY_ARRAY;
static const int chiredis_reply_integer = REDIS_REPLY_INTEGER;
static const int chiredis_reply_nil = REDIS_REPLY_NIL;
static const int chiredis_reply_status = REDIS_REPLY_STATUS;
static const int chiredis_reply_error = REDIS_REPLY_ERROR;

/* Context error kinds (redisContext.err). */
static const int chiredis_err_io = REDIS_ERR_IO;
static const int chiredis_err_eof = REDIS_ERR_EOF;
static const int chiredis_err_protocol = REDIS_ERR_PROTOCOL;
static const int chiredis_err_oom = REDIS_ERR_OOM;
static const int chiredis_err_other = REDIS_ERR_OTHER;

/* Outcome of chiredis_get_reply. */
typedef enum {
    CHIREDIS_READ_OK = 0,
    CHIREDIS_READ_TIMEOUT = 1,
    CHIREDIS_READ_FAILED = 2
} chiredis_read_status;

/* The context's error text (a char[128] that Swift imports as a tuple). */
static inline const char *chiredis_errstr(const redisContext *c) {
    return c->errstr;
}

/* The context's error kind, 0 when none. */
static inline int chiredis_err(const redisContext *c) {
    return c->err;
}

/* The socket of the context, for shutdown(2) from another thread. */
static inline int chiredis_fd(const redisContext *c) {
    return c->fd;
}

/*
 * Clears hiredis' sticky error. After a read timeout hiredis keeps err set and fails every later call;
 * for a connection that only reads (a subscriber) clearing it is safe: the reader keeps any partial reply.
 */
static inline void chiredis_clear_error(redisContext *c) {
    c->err = 0;
    c->errstr[0] = '\0';
}

static inline struct timeval chiredis_timeval(double seconds) {
    struct timeval tv;
    if (seconds < 0) seconds = 0;
    tv.tv_sec = (time_t)seconds;
    tv.tv_usec = (suseconds_t)((seconds - (double)tv.tv_sec) * 1000000.0);
    return tv;
}

static inline redisContext *chiredis_connect_tcp(const char *host, int port, double timeout_seconds) {
    return redisConnectWithTimeout(host, port, chiredis_timeval(timeout_seconds));
}

static inline redisContext *chiredis_connect_unix(const char *path, double timeout_seconds) {
    return redisConnectUnixWithTimeout(path, chiredis_timeval(timeout_seconds));
}

/* Sets SO_RCVTIMEO/SO_SNDTIMEO. Returns 0 on success. Must be re-applied after every (re)connect. */
static inline int chiredis_set_timeout(redisContext *c, double seconds) {
    return redisSetTimeout(c, chiredis_timeval(seconds)) == REDIS_OK ? 0 : -1;
}

/*
 * redisGetReply, telling a read timeout (EAGAIN from SO_RCVTIMEO) apart from a real failure.
 * errno is read here, right after the call, where nothing else can have changed it.
 */
static inline chiredis_read_status chiredis_get_reply(redisContext *c, redisReply **reply) {
    void *out = NULL;
    errno = 0;
    int rc = redisGetReply(c, &out);
    int saved = errno;
    if (rc == REDIS_OK) {
        *reply = (redisReply *)out;
        return CHIREDIS_READ_OK;
    }
    *reply = NULL;
    if (c->err == REDIS_ERR_IO && (saved == EAGAIN || saved == EWOULDBLOCK)) {
        return CHIREDIS_READ_TIMEOUT;
    }
    return CHIREDIS_READ_FAILED;
}

/* Unblocks a thread blocked reading this socket: its read returns end-of-file at once. */
static inline int chiredis_shutdown(int fd) {
    return shutdown(fd, SHUT_RDWR);
}

/* A write to a connection the server closed raises SIGPIPE, which would kill the process. */
static inline void chiredis_ignore_sigpipe(void) {
    signal(SIGPIPE, SIG_IGN);
}

#endif
