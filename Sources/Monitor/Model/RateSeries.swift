/// What a rate counts.
public enum RateKind: Int, Sendable, CaseIterable, Codable {
    case received = 0
    case succeeded = 1
    case failed = 2
    case retried = 3

    public var label: String {
        switch self {
        case .received: "received"
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .retried: "retried"
        }
    }
}

/// Per-second event counts over a sliding window, keyed by event timestamp (never the wall clock).
///
/// Bound: `capacity` one-second buckets (15 minutes by default); a bucket is reused once its second
/// falls out of the window. Events older than the window are ignored.
public struct RateSeries: Sendable, Equatable {
    public let capacity: Int
    private var seconds: [Int]
    private var counts: [UInt32]
    /// The newest second seen.
    public private(set) var newest: Int = Int.min

    public init(capacity: Int = 900) {
        self.capacity = capacity
        self.seconds = Array(repeating: Int.min, count: capacity)
        self.counts = Array(repeating: 0, count: capacity * RateKind.allCases.count)
    }

    public mutating func add(_ kind: RateKind, at timestamp: Double, count: Int = 1) {
        guard timestamp.isFinite else { return }
        let second = RateSeries.second(of: timestamp)
        if newest != Int.min, second <= newest - capacity { return }
        let slot = ((second % capacity) + capacity) % capacity
        if seconds[slot] != second {
            seconds[slot] = second
            for kindIndex in 0..<RateKind.allCases.count { counts[slot * RateKind.allCases.count + kindIndex] = 0 }
        }
        counts[slot * RateKind.allCases.count + kind.rawValue] &+= UInt32(truncatingIfNeeded: count)
        if second > newest { newest = second }
    }

    /// Events of `kind` in the `window` seconds ending at `now` (inclusive of now's second).
    public func total(_ kind: RateKind, window: Int, endingAt now: Double) -> Int {
        let last = RateSeries.second(of: now)
        let span = min(window, capacity)
        guard span > 0 else { return 0 }
        let first = last - span + 1
        let kinds = RateKind.allCases.count
        // One division for the first slot, then the slots in order (a frame sums some ten thousand
        // seconds: the Rates pane's 15-minute columns and sparklines, per name).
        var slot = ((first % capacity) + capacity) % capacity
        var sum = 0
        seconds.withUnsafeBufferPointer { seconds in
            counts.withUnsafeBufferPointer { counts in
                for second in first...last {
                    if seconds[slot] == second { sum += Int(counts[slot * kinds + kind.rawValue]) }
                    slot += 1
                    if slot == capacity { slot = 0 }
                }
            }
        }
        return sum
    }

    /// Events per second of `kind` averaged over `window` seconds ending at `now`.
    public func perSecond(_ kind: RateKind, window: Int, endingAt now: Double) -> Double {
        Double(total(kind, window: window, endingAt: now)) / Double(min(window, capacity))
    }

    /// Totals per bucket of `bucketSeconds`, oldest first, `buckets` of them ending at `now` (sparklines).
    public func history(_ kind: RateKind, buckets: Int, bucketSeconds: Int, endingAt now: Double) -> [Int] {
        let last = RateSeries.second(of: now)
        return (0..<buckets).reversed().map { index in
            total(kind, window: bucketSeconds, endingAt: Double(last - index * bucketSeconds))
        }
    }

    /// The whole second holding `time`, kept within ±2^52 so the window arithmetic around it (`last -
    /// span + 1`, `second - capacity`) cannot overflow whatever Double arrives (NaN counts as 0).
    static func second(of time: Double) -> Int {
        let bound = 1 << 52
        return Swift.min(Swift.max(Int(saturating: time.rounded(.down)), -bound), bound)
    }

    /// Failures over finished attempts (failed / (succeeded + failed + retried)) in the window; nil if none.
    public func failureRatio(window: Int, endingAt now: Double) -> Double? {
        let failed = total(.failed, window: window, endingAt: now)
        let done = failed + total(.succeeded, window: window, endingAt: now) + total(.retried, window: window, endingAt: now)
        return done == 0 ? nil : Double(failed) / Double(done)
    }
}
