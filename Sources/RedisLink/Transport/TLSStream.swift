import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// TLS (OpenSSL, 1.2 or later) over a `SocketStream`, as a `ByteStream`.
///
/// Why: managed Redis requires TLS and Debian's hiredis has none. The server is verified against
/// `TLSSettings.caCertificatesFile` or the system store and must name the URL's host (DNS name or IP);
/// SNI is sent for DNS names only (RFC 6066). A failed verification says why in OpenSSL's words and which
/// trust source was used, because "handshake failed" alone sends the user hunting.
///
/// Invariants: SIGPIPE is ignored before any TLS write (see `RedisConnection`). A read drains what has
/// arrived, as a plain socket read does: every record OpenSSL holds (`SSL_pending`, `SSL_has_pending`; the
/// socket alone would not show them) and every record waiting in the socket, up to the buffer, so a reader
/// that pauses between reads gets a batch, not one record (`copenssl_read_available`).
/// Reads and writes are bounded by the socket's timeouts; a read timeout is not sticky. After any failure
/// the stream is dead and the connection starts over with a new `SSL`. Bounds: the handshake takes at
/// most the timeout set before `init` per step.
final class TLSStream: ByteStream {
    private let socket: SocketStream
    private var context: OpaquePointer?
    private var session: OpaquePointer?
    /// Whether any application data has come back; a reset before that is usually a refused client certificate.
    private var receivedData = false
    private let settings: TLSSettings
    private let endpoint: String

    var socketDescriptor: Int32 { socket.socketDescriptor }

    /// Performs the handshake on `socket` (whose timeouts bound it) and verifies the server per `settings`.
    /// Throws `RedisError.tlsFailed` with the reason.
    init(socket: SocketStream, host: String, settings: TLSSettings, endpoint: String) throws {
        self.socket = socket
        self.settings = settings
        self.endpoint = endpoint
        do {
            try handshake(host: host)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    private func handshake(host: String) throws {
        guard let context = copenssl_client_context() else { throw failure("cannot create a TLS context: \(Self.queueText())") }
        self.context = context
        copenssl_set_verify_peer(context, settings.verifiesServer ? 1 : 0)
        if let caFile = settings.caCertificatesFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                throw failure("cannot load CA file \(caFile): \(Self.queueText())")
            }
        } else if settings.verifiesServer {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw failure("cannot load the system CA store: \(Self.queueText())")
            }
        }
        if let certificateFile = settings.certificateFile {
            guard SSL_CTX_use_certificate_chain_file(context, certificateFile) == 1 else {
                throw failure("cannot load client certificate \(certificateFile): \(Self.queueText())")
            }
            let keyFile = settings.keyFile ?? certificateFile
            guard SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1 else {
                throw failure("cannot load client key \(keyFile): \(Self.queueText())")
            }
            guard SSL_CTX_check_private_key(context) == 1 else {
                throw failure("client key \(keyFile) does not match certificate \(certificateFile): \(Self.queueText())")
            }
        }
        guard let session = SSL_new(context) else { throw failure("cannot create a TLS session: \(Self.queueText())") }
        self.session = session
        guard SSL_set_fd(session, socket.socketDescriptor) == 1 else { throw failure("cannot attach the socket: \(Self.queueText())") }
        let isIPLiteral = Self.isIPLiteral(host)
        if !isIPLiteral, copenssl_set_server_name(session, host) != 1 {
            throw failure("cannot set the server name \(host): \(Self.queueText())")
        }
        if settings.verifiesServer && settings.checkHostname {
            guard copenssl_expect_host(session, host, isIPLiteral ? 1 : 0) == 1 else {
                throw failure("cannot check the host \(host): \(Self.queueText())")
            }
        }
        var errorNumber: Int32 = 0
        switch copenssl_connect(session, &errorNumber) {
        case COPENSSL_IO_OK:
            return
        case COPENSSL_IO_TIMEOUT:
            throw failure("TLS handshake timed out (is \(endpoint) a TLS port?)")
        case COPENSSL_IO_CLOSED:
            throw failure("the server closed the connection during the TLS handshake")
        default:
            let verifyResult = SSL_get_verify_result(session)
            if verifyResult != copenssl_verify_ok {
                let words = String(cString: X509_verify_cert_error_string(verifyResult))
                throw failure("certificate verify failed: \(words) (verified against \(settings.trustSource))")
            }
            let queued = Self.queueText()
            if !queued.isEmpty { throw failure("TLS handshake failed: \(queued)") }
            if errorNumber != 0 {
                throw failure("TLS handshake failed: \(SocketStream.describe(errno: errorNumber)) (is \(endpoint) a TLS port?)")
            }
            throw failure("TLS handshake failed: the server closed the connection (is \(endpoint) a TLS port?)")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int? {
        guard let session else { throw RedisError.notConnected }
        var count = 0
        var errorNumber: Int32 = 0
        switch copenssl_read_available(session, socket.socketDescriptor, buffer.baseAddress, buffer.count, &count, &errorNumber) {
        case COPENSSL_IO_OK:
            receivedData = true
            return count
        case COPENSSL_IO_TIMEOUT:
            return nil
        case COPENSSL_IO_CLOSED:
            throw RedisError.closed("TLS close_notify")
        default:
            throw ioFailure(errorNumber)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let session else { throw RedisError.notConnected }
        guard bytes.count > 0 else { return }
        var count = 0
        var errorNumber: Int32 = 0
        switch copenssl_write(session, bytes.baseAddress, bytes.count, &count, &errorNumber) {
        case COPENSSL_IO_OK:
            return
        case COPENSSL_IO_TIMEOUT:
            throw RedisError.timeout("TLS write of \(bytes.count) bytes stalled")
        case COPENSSL_IO_CLOSED:
            throw RedisError.closed("TLS close_notify")
        default:
            throw ioFailure(errorNumber)
        }
    }

    func setTimeout(_ seconds: Double) throws {
        try socket.setTimeout(seconds)
    }

    func close() {
        if let session { SSL_free(session) }
        if let context { SSL_CTX_free(context) }
        session = nil
        context = nil
        socket.close()
    }

    // MARK: - Errors

    private func failure(_ message: String) -> RedisError {
        .tlsFailed(endpoint: endpoint, message: message)
    }

    /// A failed read or write: a reset before any reply is, with TLS 1.3, how a server that requires a
    /// client certificate refuses (the handshake itself succeeds), so say so.
    private func ioFailure(_ errorNumber: Int32) -> RedisError {
        let queued = Self.queueText()
        let cause = !queued.isEmpty ? queued : errorNumber != 0 ? SocketStream.describe(errno: errorNumber) : "end of file"
        if !receivedData && settings.certificateFile == nil {
            return .tlsFailed(endpoint: endpoint, message: "the server closed the TLS connection before answering (\(cause)); "
                + "if it requires client certificates, give ssl_certfile and ssl_keyfile")
        }
        if errorNumber == 0 && queued.isEmpty { return .closed(cause) }
        return .io("TLS: \(cause)")
    }

    /// The thread's OpenSSL error queue as one line (and emptied).
    private static func queueText() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        copenssl_last_error(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True for an IPv4 or IPv6 literal (no SNI; checked against IP SANs).
    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
