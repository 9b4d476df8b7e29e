#ifndef RETRYTOP_COPENSSL_SHIM_H
#define RETRYTOP_COPENSSL_SHIM_H

/*
 * The C side of RedisLink's TLS transport (OpenSSL 3, Debian's libssl-dev). OpenSSL spells several
 * client settings as function-like macros Swift cannot import (SSL_set_tlsext_host_name,
 * SSL_CTX_set_min_proto_version, SSL_CTX_set_mode, SSL_OP_* built with SSL_OP_BIT), and errno must be
 * read right after the call that set it; those few things live here as prefixed `static inline`
 * functions. No numbers cross into Swift unnamed.
 */

#include <errno.h>
#include <poll.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* Outcome of copenssl_read / copenssl_write / copenssl_connect. */
typedef enum {
    COPENSSL_IO_OK = 0,          /* bytes moved (or handshake done) */
    COPENSSL_IO_TIMEOUT = 1,     /* SO_RCVTIMEO/SO_SNDTIMEO expired (WANT_READ/WANT_WRITE with EAGAIN) */
    COPENSSL_IO_CLOSED = 2,      /* the peer sent close_notify */
    COPENSSL_IO_FAILED = 3       /* anything else: see the error queue, errno and the verify result */
} copenssl_io_status;

/* X509_V_OK, so Swift can tell "verification passed" without a bare 0. */
static const long copenssl_verify_ok = X509_V_OK;

/* A client context: TLS 1.2 or later, no compression, tolerant of a peer that closes without close_notify. */
static inline SSL_CTX *copenssl_client_context(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) return NULL;
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
    return ctx;
}

/* Verify the peer's chain (SSL_VERIFY_PEER) or accept anything (SSL_VERIFY_NONE). */
static inline void copenssl_set_verify_peer(SSL_CTX *ctx, int verify) {
    SSL_CTX_set_verify(ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
}

/* Sends SNI (only for DNS names: RFC 6066 forbids IP literals). Returns 1 on success. */
static inline int copenssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/*
 * Checks the peer certificate against `host`: an IP literal against IP SANs, a name against DNS
 * SANs/CN (no partial wildcards). Returns 1 on success.
 */
static inline int copenssl_expect_host(SSL *ssl, const char *host, int is_ip) {
    if (is_ip) {
        X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
        return X509_VERIFY_PARAM_set1_ip_asc(param, host);
    }
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return SSL_set1_host(ssl, host);
}

static inline copenssl_io_status copenssl_status(SSL *ssl, int rc, int saved_errno) {
    int error = SSL_get_error(ssl, rc);
    switch (error) {
    case SSL_ERROR_ZERO_RETURN:
        return COPENSSL_IO_CLOSED;
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        /* On a blocking socket this only happens when SO_RCVTIMEO/SO_SNDTIMEO expired. */
        return COPENSSL_IO_TIMEOUT;
    case SSL_ERROR_SYSCALL:
        if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) return COPENSSL_IO_TIMEOUT;
        return COPENSSL_IO_FAILED;
    default:
        return COPENSSL_IO_FAILED;
    }
}

/* SSL_connect on a blocking socket whose timeouts bound each step. *err_no receives errno. */
static inline copenssl_io_status copenssl_connect(SSL *ssl, int *err_no) {
    ERR_clear_error();
    errno = 0;
    int rc = SSL_connect(ssl);
    int saved = errno;
    *err_no = saved;
    if (rc == 1) return COPENSSL_IO_OK;
    return copenssl_status(ssl, rc, saved);
}

/* SSL_read of up to `capacity` bytes; *count receives how many arrived. */
static inline copenssl_io_status copenssl_read(SSL *ssl, void *buffer, size_t capacity, size_t *count, int *err_no) {
    ERR_clear_error();
    errno = 0;
    *count = 0;
    int rc = SSL_read_ex(ssl, buffer, capacity, count);
    int saved = errno;
    *err_no = saved;
    if (rc == 1) return COPENSSL_IO_OK;
    return copenssl_status(ssl, 0, saved);
}

/*
 * Reads what has arrived, in one call: the first SSL_read may wait (bounded by SO_RCVTIMEO); then, while the
 * buffer has room, more records are read as long as OpenSSL holds bytes (SSL_pending: decrypted and unread;
 * SSL_has_pending: received and not yet decrypted) or the socket `fd` has bytes waiting (poll, no wait).
 * Why: one SSL_read returns at most one TLS record, often one small message, so a reader that pauses between
 * reads to take a batch (the event subscriber) would take one record per pause; a plain socket read takes all
 * that waits, and so does this. A later read that times out or fails ends the call with what was read (a
 * partial record stays in OpenSSL, a real failure comes back on the next call). *count receives the total.
 */
static inline copenssl_io_status copenssl_read_available(
    SSL *ssl, int fd, void *buffer, size_t capacity, size_t *count, int *err_no) {
    copenssl_io_status status = copenssl_read(ssl, buffer, capacity, count, err_no);
    if (status != COPENSSL_IO_OK) return status;
    unsigned char *bytes = (unsigned char *)buffer;
    while (*count < capacity) {
        if (SSL_pending(ssl) <= 0 && SSL_has_pending(ssl) != 1) {
            struct pollfd pfd;
            pfd.fd = fd;
            pfd.events = POLLIN;
            pfd.revents = 0;
            if (poll(&pfd, 1, 0) != 1 || (pfd.revents & POLLIN) == 0) break;
        }
        size_t more = 0;
        int more_errno = 0;
        if (copenssl_read(ssl, bytes + *count, capacity - *count, &more, &more_errno) != COPENSSL_IO_OK) break;
        *count += more;
    }
    return COPENSSL_IO_OK;
}

/* SSL_write of `length` bytes (all of them unless it fails); *count receives how many were written. */
static inline copenssl_io_status copenssl_write(SSL *ssl, const void *buffer, size_t length, size_t *count, int *err_no) {
    ERR_clear_error();
    errno = 0;
    *count = 0;
    int rc = SSL_write_ex(ssl, buffer, length, count);
    int saved = errno;
    *err_no = saved;
    if (rc == 1) return COPENSSL_IO_OK;
    return copenssl_status(ssl, 0, saved);
}

/* The oldest error in the thread's queue as text ("...:certificate verify failed"), or "" when empty. */
static inline void copenssl_last_error(char *buffer, size_t capacity) {
    unsigned long code = ERR_get_error();
    unsigned long next;
    while ((next = ERR_get_error()) != 0) { (void)next; }
    if (capacity == 0) return;
    buffer[0] = '\0';
    if (code == 0) return;
    const char *reason = ERR_reason_error_string(code);
    if (reason != NULL) {
        snprintf(buffer, capacity, "%s", reason);
    } else {
        ERR_error_string_n(code, buffer, capacity);
    }
}

#endif
