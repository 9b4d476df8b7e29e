#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The calling thread's scheduling weight (its nice value: 0 by default, 19 the lowest).
///
/// Why: at the publisher's maximum the subscriber's reader, its decode thread, `redis-server` and the
/// publisher all want a core. When the decode thread took its share, the reader fell behind and Redis
/// cut the subscriber at its 32 MB output-buffer limit (an uncounted loss), although the inbox would
/// have dropped, and counted, whatever decode could not take. A decode thread a few steps below the
/// reader leaves the reader the CPU it needs; decode then sheds inside retrytop, where the loss is
/// counted. Lowering a thread's priority needs no privilege (raising it back would).
///
/// On Linux a nice value belongs to a thread: `setpriority(PRIO_PROCESS, 0, …)` sets the caller's alone.
/// Elsewhere it belongs to the process, and `lowerCallingThread` does nothing.
public enum ThreadPriority {
    /// The calling thread's nice value (0 when it cannot be read).
    public static var niceness: Int {
        errno = 0
        let value = getpriority(processScope, 0)
        return errno == 0 ? Int(value) : 0
    }

    /// Lowers the calling thread's priority by `steps` nice values (at most to 19); returns the nice value
    /// it has afterwards. Does nothing for `steps` ≤ 0.
    @discardableResult
    public static func lowerCallingThread(by steps: Int) -> Int {
        let current = niceness
        guard steps > 0 else { return current }
        #if os(Linux)
        let target = min(19, current + steps)
        _ = setpriority(processScope, 0, Int32(target))
        #endif
        // Elsewhere a nice value is the whole process': lowering it would lower the reader too.
        return niceness
    }

    #if canImport(Glibc)
    private static let processScope = __priority_which_t(PRIO_PROCESS.rawValue)
    #else
    private static let processScope = PRIO_PROCESS
    #endif
}
