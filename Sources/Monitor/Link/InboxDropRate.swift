/// How fast the raw inbox drops messages now: the cumulative drop counter, noted at the owner's
/// ticks, as messages per second over the last `window` seconds.
///
/// Why: a total alone says that messages were lost at some time; while the inbox sheds (decode cannot
/// keep up) the header must say that it is happening now and how fast. The core reads no clock: the
/// time of each note is the caller's (the dashboard's last tick).
/// Bound: at most `maxSamples` samples (one per change of the counter, the newest one before the
/// window kept as the baseline).
public struct InboxDropRate: Sendable, Equatable {
    /// Seconds the rate is taken over.
    public static let window = 5.0
    /// Samples kept at most (20 changes a second over the window is 100).
    public static let maxSamples = 128

    struct Sample: Sendable, Equatable {
        var at: Double
        var total: Int
    }

    /// When the counter changed and its value then, oldest first.
    private(set) var samples: [Sample] = []

    public init() {}

    /// Samples held now (for the bound's test).
    public var sampleCount: Int { samples.count }

    /// Notes the cumulative drop counter `total` at `time` (only a change is kept).
    public mutating func record(total: Int, at time: Double) {
        if let last = samples.last, last.total == total { return }
        samples.append(Sample(at: time, total: total))
        // Keep the newest sample at or before the window's start as the baseline; drop older ones.
        let start = time - Self.window
        if let baseline = samples.lastIndex(where: { $0.at <= start }), baseline > 0 { samples.removeFirst(baseline) }
        if samples.count > Self.maxSamples { samples.removeFirst(samples.count - Self.maxSamples) }
    }

    /// Messages dropped per second over the `window` seconds before `now`; 0 when none were.
    public func perSecond(at now: Double) -> Double {
        guard let newest = samples.last, let first = samples.first else { return 0 }
        let start = now - Self.window
        guard newest.at > start else { return 0 }
        // The counter's value when the window began (drops before the first note are not this window's).
        let baseline = samples.last(where: { $0.at <= start })?.total ?? first.total
        return Double(max(0, newest.total - baseline)) / Self.window
    }

}
