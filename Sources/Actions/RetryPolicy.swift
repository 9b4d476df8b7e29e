import Monitor

/// A task's retry settings as its workers report them, and what they mean for an attempt.
///
/// Why: "attempt 3/5", the policy in the detail view and the last-attempt mark need `max_retries` and
/// the backoff settings, which events do not carry; `inspect registered` with `taskinfoitems` does.
/// Celery leaves out attributes that are None and never sets the autoretry ones on tasks that do not
/// use them, so a missing field means Celery's default: `max_retries` None (retry for ever),
/// `retry_backoff` off, `retry_backoff_max` 600 s, `retry_jitter` on.
public struct RetryPolicy: Sendable, Equatable {
    /// nil: no limit (`max_retries=None`).
    public var maxRetries: Int?
    /// Seconds `self.retry()` waits without `countdown` (`default_retry_delay`).
    public var defaultRetryDelay: Double?
    /// The backoff factor in seconds: 0 off, `True` is 1.
    public var retryBackoff: Double
    public var retryBackoffMax: Double
    public var retryJitter: Bool
    /// Exception class paths that retry automatically (`autoretry_for`).
    public var autoretryFor: [String]
    /// e.g. `10/m`.
    public var rateLimit: String?

    public static let defaultBackoffMax = 600.0

    public init(
        maxRetries: Int? = nil, defaultRetryDelay: Double? = nil, retryBackoff: Double = 0,
        retryBackoffMax: Double = RetryPolicy.defaultBackoffMax, retryJitter: Bool = true, autoretryFor: [String] = [],
        rateLimit: String? = nil
    ) {
        self.maxRetries = maxRetries
        self.defaultRetryDelay = defaultRetryDelay
        self.retryBackoff = retryBackoff
        self.retryBackoffMax = retryBackoffMax
        self.retryJitter = retryJitter
        self.autoretryFor = autoretryFor
        self.rateLimit = rateLimit
    }

    /// The total attempts allowed (`max_retries + 1`), nil when unlimited.
    public var maxAttempts: Int? { maxRetries.map { $0 + 1 } }

    /// "attempt 3/5" for a task with `retries` retries so far ("attempt 3/∞" when unlimited).
    public func attemptLabel(retries: Int) -> String {
        "attempt \(retries + 1)/\(maxAttempts.map(String.init) ?? "∞")"
    }

    /// Whether the attempt after `retries` retries is the last one allowed.
    public func isLastAttempt(retries: Int) -> Bool {
        guard let maxRetries else { return false }
        return retries >= maxRetries
    }

    /// The longest wait before retry number `retries + 1` under autoretry: the backoff
    /// `min(max, factor × 2^retries)` (jitter picks a value up to it), else `default_retry_delay`.
    public func countdownCeiling(retries: Int) -> Double? {
        guard retryBackoff > 0 else { return defaultRetryDelay }
        let exponent = min(max(retries, 0), 62)
        return min(retryBackoffMax, retryBackoff * Double(1 << exponent))
    }

    /// One line for the detail view, e.g. `max_retries=5 backoff=1s×2^n≤60s jitter autoretry_for=ApiError`.
    public var summary: String {
        var parts = ["max_retries=\(maxRetries.map(String.init) ?? "None")"]
        if retryBackoff > 0 {
            parts.append("backoff=\(Self.seconds(retryBackoff))×2^n≤\(Self.seconds(retryBackoffMax))" + (retryJitter ? " jitter" : ""))
        } else if let defaultRetryDelay {
            parts.append("delay=\(Self.seconds(defaultRetryDelay))")
        }
        if !autoretryFor.isEmpty {
            parts.append("autoretry_for=" + autoretryFor.map { $0.split(separator: ".").last.map(String.init) ?? $0 }.joined(separator: ","))
        }
        if let rateLimit { parts.append("rate_limit=\(rateLimit)") }
        return parts.joined(separator: " ")
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? "\(Int(value))s" : "\(value)s"  // Int() only below 1e9: cannot trap
    }
}
