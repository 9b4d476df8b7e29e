/// Formats times and durations the way the screens show them: UTC clock times and short durations
/// (plain numbers are `NumberText`'s).
///
/// Pure arithmetic on epoch seconds; no calendar, no locale, no clock reads.
///
/// Total: every function takes any Double (NaN, infinities, 1e308) without trapping. Decoding keeps
/// wire times within `WireRange.time`, but a view must not be the place a bad value stops the program,
/// so every conversion to `Int` saturates (`Int(saturating:)`), and a clock time too far out to show
/// reads `--:--:--`.
public enum TimeText {
    /// Epoch seconds a clock time is shown for (about ±31 million years); beyond, and NaN, show dashes.
    static let clockRange: ClosedRange<Double> = -1e15...1e15

    /// `15:04:31` (UTC).
    public static func clock(_ epoch: Double) -> String {
        guard clockRange.contains(epoch) else { return "--:--:--" }
        let seconds = Int(epoch.rounded(.down))  // |epoch| <= 1e15: cannot trap
        let day = ((seconds % 86_400) + 86_400) % 86_400
        return pad2(day / 3_600) + ":" + pad2(day / 60 % 60) + ":" + pad2(day % 60)
    }

    /// `15:04:31.207` (UTC), for attempt timelines.
    public static func clockMillis(_ epoch: Double) -> String {
        guard clockRange.contains(epoch) else { return "--:--:--.---" }
        let millis = Int((epoch * 1_000).rounded(.down))  // |epoch| <= 1e15: at most 1e18, cannot trap
        let ms = ((millis % 1_000) + 1_000) % 1_000
        return clock(Double(millis / 1_000)) + "." + pad3(ms)
    }

    /// A countdown or elapsed time in whole seconds: `0:02`, `4:55`, `1:02:03`.
    public static func duration(seconds: Int) -> String {
        let s = max(0, seconds)
        if s >= 3_600 { return "\(s / 3_600):" + pad2(s / 60 % 60) + ":" + pad2(s % 60) }
        return "\(s / 60):" + pad2(s % 60)
    }

    /// Seconds left until `target`, rounded up so a countdown shows `0:01` until the moment arrives.
    public static func countdown(to target: Double, now: Double) -> String {
        duration(seconds: Int(saturating: (target - now).rounded(.up)))
    }

    /// Elapsed whole seconds since `start`.
    public static func elapsed(since start: Double, now: Double) -> String {
        duration(seconds: Int(saturating: (now - start).rounded(.down)))
    }

    /// A runtime or a wait: `12ms`, `1.3s`, `42s`, `4:55`.
    public static func span(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = max(0, seconds)
        if s < 1 { return "\(Int(saturating: (s * 1_000).rounded()))ms" }
        if s < 10 {
            let tenths = Int(saturating: (s * 10).rounded())
            return tenths >= 100 ? "10s" : "\(tenths / 10).\(tenths % 10)s"
        }
        if s < 60 { return "\(Int(saturating: s.rounded()))s" }
        return duration(seconds: Int(saturating: s.rounded()))
    }

    /// An age such as a heartbeat's: `0s`, `14s`, `3m`, `2h`.
    public static func age(_ seconds: Double) -> String {
        let s = Int(saturating: max(0, seconds).rounded(.down))
        if s < 120 { return "\(s)s" }
        if s < 7_200 { return "\(s / 60)m" }
        return "\(s / 3_600)h"
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
    private static func pad3(_ n: Int) -> String { n < 10 ? "00\(n)" : (n < 100 ? "0\(n)" : String(n)) }
}
