#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Monitor

/// Seconds on the monotonic clock, for pacing and timing (never the wall clock, which can jump).
public enum MonotonicClock {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1_000_000_000
    }

    /// Sleeps for `seconds` (nothing when not positive).
    public static func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        let whole = Int(saturating: seconds)  // an infinite wait sleeps for Int.max seconds instead of trapping
        var request = timespec(tv_sec: whole, tv_nsec: Int(saturating: (seconds - Double(whole)) * 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }
}
