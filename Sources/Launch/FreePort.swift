#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a TCP port on 127.0.0.1 that nothing listens on right now.
///
/// It binds a socket to port 0, reads the port the kernel picked and closes the socket. Another process
/// could take the port before the caller binds it; servers started on it should retry with a new port
/// when their bind fails (the test harness's `RedisServerProcess` does).
public enum FreePort {
    /// A currently unused loopback port.
    public static func next() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw LaunchError("FreePort: socket() failed, errno \(errno)") }
        defer { close(fd) }

        var address = LoopbackAddress.make(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw LaunchError("FreePort: bind(127.0.0.1:0) failed, errno \(errno)") }

        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw LaunchError("FreePort: getsockname() failed, errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
