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
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>
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

/*
 * True when hiredis' reader holds no unparsed byte and no half-built reply (`ridx` is -1 between replies),
 * so the subscriber's own framer may take the stream over without losing or reordering anything.
 */
static inline int chiredis_reader_is_idle(const redisReader *r) {
    return r->ridx == -1 && r->pos == r->len;
}

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

/* ---- Own transport: hiredis' reply reader and command formatter over a socket retrytop owns. ---- */

/* The reader's error text (a char[128] that Swift imports as a tuple). */
static inline const char *chiredis_reader_errstr(const redisReader *r) {
    return r->errstr;
}

/* The reader's error kind, 0 when none. */
static inline int chiredis_reader_err(const redisReader *r) {
    return r->err;
}

/* Outcome of the socket calls below. */
typedef enum {
    CHIREDIS_SOCKET_OK = 0,
    CHIREDIS_SOCKET_TIMEOUT = 1,
    CHIREDIS_SOCKET_CLOSED = 2,
    CHIREDIS_SOCKET_FAILED = 3
} chiredis_socket_status;

/* Applies SO_RCVTIMEO and SO_SNDTIMEO to a blocking socket. Returns 0 on success. */
static inline int chiredis_socket_set_timeout(int fd, double seconds) {
    struct timeval tv = chiredis_timeval(seconds);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) return -1;
    return 0;
}

/* Waits for a non-blocking connect to finish; leaves the socket blocking. Returns 0 or -1 with errno set. */
static inline int chiredis_socket_finish_connect(int fd, int rc, double timeout_seconds) {
    if (rc != 0 && errno != EINPROGRESS) return -1;
    if (rc != 0) {
        struct pollfd pfd;
        pfd.fd = fd;
        pfd.events = POLLOUT;
        pfd.revents = 0;
        int waited = poll(&pfd, 1, (int)(timeout_seconds * 1000.0));
        if (waited == 0) { errno = ETIMEDOUT; return -1; }
        if (waited < 0) return -1;
        int error = 0;
        socklen_t length = sizeof(error);
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return -1;
        if (error != 0) { errno = error; return -1; }
    }
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) return -1;
    return 0;
}

/*
 * Connects a TCP socket to host:port (every address getaddrinfo gives, in order) within
 * `timeout_seconds` per address. Returns the blocking socket, or -1 with a message in `error`.
 */
static inline int chiredis_socket_connect_tcp(const char *host, int port, double timeout_seconds, char *error, size_t capacity) {
    struct addrinfo hints, *found = NULL, *item;
    char service[16];
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof(service), "%d", port);
    int rc = getaddrinfo(host, service, &hints, &found);
    if (rc != 0) {
        snprintf(error, capacity, "cannot resolve %s: %s", host, gai_strerror(rc));
        return -1;
    }
    int saved = 0;
    for (item = found; item != NULL; item = item->ai_next) {
        int fd = socket(item->ai_family, item->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, item->ai_protocol);
        if (fd < 0) { saved = errno; continue; }
        int connected = connect(fd, item->ai_addr, item->ai_addrlen);
        if (chiredis_socket_finish_connect(fd, connected, timeout_seconds) == 0) {
            int yes = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
            setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes));
            freeaddrinfo(found);
            return fd;
        }
        saved = errno;
        close(fd);
    }
    freeaddrinfo(found);
    snprintf(error, capacity, "%s", saved == ETIMEDOUT ? "Connection timed out" : strerror(saved));
    return -1;
}

/* Connects a Unix-domain socket. Returns the blocking socket, or -1 with a message in `error`. */
static inline int chiredis_socket_connect_unix(const char *path, double timeout_seconds, char *error, size_t capacity) {
    struct sockaddr_un address;
    memset(&address, 0, sizeof(address));
    address.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(address.sun_path)) {
        snprintf(error, capacity, "socket path too long: %s", path);
        return -1;
    }
    strcpy(address.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) { snprintf(error, capacity, "%s", strerror(errno)); return -1; }
    int connected = connect(fd, (struct sockaddr *)&address, sizeof(address));
    if (chiredis_socket_finish_connect(fd, connected, timeout_seconds) != 0) {
        snprintf(error, capacity, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* read(2) telling a timeout (SO_RCVTIMEO) and end of file apart from a failure; retries EINTR. */
static inline chiredis_socket_status chiredis_socket_read(int fd, void *buffer, size_t capacity, size_t *count, int *err_no) {
    *count = 0;
    *err_no = 0;
    for (;;) {
        ssize_t n = read(fd, buffer, capacity);
        if (n > 0) { *count = (size_t)n; return CHIREDIS_SOCKET_OK; }
        if (n == 0) return CHIREDIS_SOCKET_CLOSED;
        if (errno == EINTR) continue;
        *err_no = errno;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return CHIREDIS_SOCKET_TIMEOUT;
        return CHIREDIS_SOCKET_FAILED;
    }
}

/* write(2) of all `length` bytes unless a timeout or failure stops it; *count receives how many went. */
static inline chiredis_socket_status chiredis_socket_write(int fd, const void *buffer, size_t length, size_t *count, int *err_no) {
    *count = 0;
    *err_no = 0;
    const char *bytes = (const char *)buffer;
    while (*count < length) {
        ssize_t n = write(fd, bytes + *count, length - *count);
        if (n > 0) { *count += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        *err_no = errno;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return CHIREDIS_SOCKET_TIMEOUT;
        return CHIREDIS_SOCKET_FAILED;
    }
    return CHIREDIS_SOCKET_OK;
}

static inline int chiredis_socket_close(int fd) {
    return close(fd);
}

#endif
