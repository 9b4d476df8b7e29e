import Launch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny blocking TCP client for readiness checks against servers on 127.0.0.1.
///
/// It exists so the harness can ask "is Redis up?" without hiredis or redis-cli: connect, write a few
/// bytes, read until the reply satisfies a predicate, the peer closes, or the deadline passes.
public enum LoopbackProbe {
    /// Sends `request` to 127.0.0.1:`port` and returns what came back, or nil when nothing could connect.
    ///
    /// Reading stops as soon as `isComplete` accepts the text received so far, when the peer closes,
    /// or after `timeout` (the partial reply is returned then).
    public static func exchange(
        port: Int,
        request: String,
        timeout: Duration = .seconds(1),
        isComplete: (String) -> Bool = { !$0.isEmpty }
    ) -> String? {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return nil }
        defer { close(fd) }

        let components = timeout.components
        let micros = components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
        var limit = timeval(tv_sec: .init(micros / 1_000_000), tv_usec: .init(micros % 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif

        var address = LoopbackAddress.make(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }

        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            #else
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            #endif
            guard n > 0 else { return nil }
            sent += n
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
            if isComplete(String(decoding: received, as: UTF8.self)) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
