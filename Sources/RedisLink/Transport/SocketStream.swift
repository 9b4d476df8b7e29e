import CHiredis
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP or Unix-domain socket as a `ByteStream`, and the socket under a `TLSStream`.
///
/// Why: retrytop owns its sockets (hiredis 0.14 cannot add TLS to its own), so connecting with a bound,
/// timeouts and errno handling live here, in one place, for every transport.
///
/// Invariants: the descriptor is blocking with SO_RCVTIMEO/SO_SNDTIMEO set by `setTimeout`; after
/// `close()` it is -1 and every call fails with `.notConnected`. Bounds: connecting waits at most
/// `timeout` per resolved address.
final class SocketStream: ByteStream {
    private(set) var socketDescriptor: Int32

    /// Connects to `endpoint` within `timeout` seconds; throws `RedisError.connectFailed`.
    init(connectingTo endpoint: BrokerURL.Endpoint, description: String, timeout: Double) throws {
        let capacity = 256
        var message = [CChar](repeating: 0, count: capacity)
        let descriptor: Int32 = switch endpoint {
        case .tcp(let host, let port): chiredis_socket_connect_tcp(host, Int32(port), timeout, &message, capacity)
        case .unixSocket(let path): chiredis_socket_connect_unix(path, timeout, &message, capacity)
        }
        guard descriptor >= 0 else {
            throw RedisError.connectFailed(endpoint: description, message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        socketDescriptor = descriptor
    }

    deinit {
        close()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int? {
        guard socketDescriptor >= 0 else { throw RedisError.notConnected }
        var count = 0
        var errorNumber: Int32 = 0
        switch chiredis_socket_read(socketDescriptor, buffer.baseAddress, buffer.count, &count, &errorNumber) {
        case CHIREDIS_SOCKET_OK: return count
        case CHIREDIS_SOCKET_TIMEOUT: return nil
        case CHIREDIS_SOCKET_CLOSED: throw RedisError.closed("end of file")
        default: throw RedisError.io(Self.describe(errno: errorNumber))
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard socketDescriptor >= 0 else { throw RedisError.notConnected }
        var count = 0
        var errorNumber: Int32 = 0
        switch chiredis_socket_write(socketDescriptor, bytes.baseAddress, bytes.count, &count, &errorNumber) {
        case CHIREDIS_SOCKET_OK: return
        case CHIREDIS_SOCKET_TIMEOUT: throw RedisError.timeout("write of \(bytes.count) bytes stalled after \(count)")
        default: throw RedisError.io(Self.describe(errno: errorNumber))
        }
    }

    func setTimeout(_ seconds: Double) throws {
        guard socketDescriptor >= 0 else { throw RedisError.notConnected }
        guard chiredis_socket_set_timeout(socketDescriptor, seconds) == 0 else {
            throw RedisError.io("cannot set the socket timeout: \(Self.describe(errno: errno))")
        }
    }

    func close() {
        if socketDescriptor >= 0 { _ = chiredis_socket_close(socketDescriptor) }
        socketDescriptor = -1
    }

    /// `strerror` text for an errno value.
    static func describe(errno value: Int32) -> String {
        guard value != 0, let text = strerror(value) else { return "unknown error" }
        return String(cString: text)
    }
}
