/// The range every number from the wire must fall in, checked once at decode (`FieldReader`).
///
/// Why: a value no Celery worker sends (a timestamp of `1e19`, `retries: -5`, a `pid` past `Int.max`)
/// used to flow into the fold and the views, where one `Int(Double)` trapped and stopped retrytop. Past
/// decode, every number is known finite and within these bounds, so downstream arithmetic is plain.
///
/// Times are checked against a fixed absolute window, never against the wall clock, so recordings and
/// replays decode the same way whenever they are played. A value outside its range is counted in
/// `DecodeStats.outOfRange`; an optional field is dropped, a bad `timestamp` skips the event.
public enum WireRange {
    /// Epoch seconds from 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z: `timestamp`, `eta`, `expires`.
    public static let time: ClosedRange<Double> = 946_684_800...4_102_444_800
    /// Seconds a task ran, or a heartbeat interval: at most the length of the time window.
    public static let duration: ClosedRange<Double> = 0...(4_102_444_800 - 946_684_800)
    /// `retries`: an attempt number (`retries + 1`) must fit the `Int32` the fold stores it in.
    public static let retries: ClosedRange<Int> = 0...(Int(Int32.max) - 1)
    /// `pid`: a `pid_t`.
    public static let pid: ClosedRange<Int> = 0...Int(Int32.max)
    /// `signum`: POSIX signal numbers (Linux has 64).
    public static let signum: ClosedRange<Int> = 0...255
    /// `clock`, `active`, `processed`: counters, exact in a Double (2^53).
    public static let count: ClosedRange<Int> = 0...(1 << 53)
    /// `freq` (the heartbeat interval, seconds): at most a day.
    public static let frequency: ClosedRange<Double> = 0...86_400
    /// One `loadavg` entry: a load average, bounded far above any machine's.
    public static let load: ClosedRange<Double> = 0...1_000_000
    /// `utcoffset`: Celery sends hours; real offsets are within ±14, a day either way is generous.
    public static let utcOffset: ClosedRange<Double> = -24...24
}
