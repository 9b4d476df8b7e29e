import Monitor

/// How fast a bulk requeue sends: a mean rate and a jitter fraction.
///
/// Why: re-sending hundreds of failed tasks at once is how the next storm starts; a paced send spreads
/// them out. Interval i is `(1 / rate) × (1 + jitter × (2u − 1))` for a uniform `u` in [0, 1), so the
/// mean rate is kept and no interval is negative. Invariants: `rate > 0`; `jitter` is clamped to 0...1.
public struct RequeuePace: Sendable, Equatable {
    /// Messages per second.
    public var rate: Double
    /// 0 sends at a fixed interval; 0.5 varies each interval by up to ±50 %.
    public var jitter: Double

    public static let `default` = RequeuePace(rate: 20, jitter: 0.1)
    /// As fast as the broker takes them (single requeues).
    public static let unpaced = RequeuePace(rate: .infinity, jitter: 0)

    public init(rate: Double, jitter: Double = 0) {
        self.rate = rate > 0 ? rate : RequeuePace.default.rate
        self.jitter = min(max(jitter.isFinite ? jitter : 0, 0), 1)
    }

    /// Seconds to wait before the next send, for a uniform random `unit` in [0, 1).
    public func interval(unit: Double) -> Double {
        guard rate.isFinite else { return 0 }
        return (1 / rate) * (1 + jitter * (2 * min(max(unit, 0), 1) - 1))
    }
}
