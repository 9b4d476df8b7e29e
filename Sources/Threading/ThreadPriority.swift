import Foundation

/// Lowers the calling thread's scheduling priority (its nice value), so that under CPU contention the
/// threads that must not fall behind run first.
///
/// Why: on a busy machine (a storm: the workers, redis-server and retrytop on the same cores) the pub/sub
/// reader must keep reading or Redis cuts it and everything published until it resubscribes is lost
/// uncounted; the decode thread may fall behind, because the raw inbox then drops whole messages and
/// counts them. The kernel shares a core by weight, so decode at nice 10 gets about a tenth of the
/// reader's share while both want the CPU, and all it wants while the reader sleeps. Raising a thread
/// above the others would need privileges; lowering one never does.
///
/// Invariants: Linux's nice is per thread (`setpriority(PRIO_PROCESS, 0, …)` applies to the calling thread
/// only); a failure is ignored (the thread keeps its priority). Bound: `niceness` is clamped to 0...19.
public enum ThreadPriority {
    /// The nice value of a thread that yields to the reader.
    public static let background: Int32 = 10

    /// Sets the calling thread's nice value to `niceness` (0...19, higher runs later); true when it took.
    @discardableResult
    public static func lowerCallingThread(to niceness: Int32 = background) -> Bool {
        let value = min(max(niceness, 0), 19)
        return setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, value) == 0
    }

    /// The calling thread's nice value.
    public static var current: Int32 {
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }
}
