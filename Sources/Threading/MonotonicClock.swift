#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on the monotonic clock, for pacing and timing (never the wall clock, which can jump).
///
/// Read with `clock_gettime` (a vDSO call): the subscriber reads it after every short read, where
/// `ProcessInfo.systemUptime` cost a lazy global's check and a class lookup each time.
public enum MonotonicClock {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000
    }

    /// Sleeps for `seconds` (nothing when not positive).
    public static func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        // An infinite wait sleeps for Int.max seconds instead of trapping.
        let finite = seconds < Double(Int.max)
        let whole = finite ? Int(seconds) : Int.max
        var request = timespec(tv_sec: whole, tv_nsec: finite ? Int((seconds - Double(whole)) * 1_000_000_000) : 0)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }
}
