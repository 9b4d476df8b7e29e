/// How long to wait before each reconnect attempt: capped exponential growth.
///
/// Why: a restarting Redis refuses connections for a while; retrying at once floods it and the log,
/// waiting long loses more events. Pure and deterministic (no jitter: one monitor per broker).
/// Bounds: every delay is within `initial...cap`.
public struct ReconnectBackoff: Sendable, Equatable {
    public var initial: Double
    public var multiplier: Double
    public var cap: Double

    public init(initial: Double = 0.1, multiplier: Double = 2, cap: Double = 5) {
        precondition(initial > 0 && multiplier >= 1 && cap >= initial, "invalid backoff")
        self.initial = initial
        self.multiplier = multiplier
        self.cap = cap
    }

    public static let `default` = ReconnectBackoff()

    /// Seconds to wait before attempt `attempt` (1-based): initial, initial·m, … up to cap.
    public func delay(beforeAttempt attempt: Int) -> Double {
        var value = initial
        var step = 1
        while step < attempt && value < cap {
            value *= multiplier
            step += 1
        }
        return min(value, cap)
    }
}
