import Monitor

/// One change to the workers' behaviour made through Celery's remote control: a task name's rate limit,
/// or whether a queue is consumed.
///
/// Why: throttling at the source (docs/celery-wire.md, "Remote control") is what stops the next wave;
/// the dashboard keeps each change it made so it can list it, undo it and re-apply it to a worker that
/// comes back online (a rate limit and a cancelled consumer live in worker memory only). Pure value.
public enum WorkerChange: Sendable, Hashable {
    /// `rate_limit`: `rate` is `10/m`, `2/s`, `100/h`, a bare number per second, or `0`/"" for no limit.
    case rateLimit(task: String, rate: String)
    /// `cancel_consumer`: the workers stop taking messages from `queue`.
    case cancelConsumer(queue: String)
    /// `add_consumer`: the workers take messages from `queue` again.
    case addConsumer(queue: String)

    /// The pidbox method.
    public var method: String {
        switch self {
        case .rateLimit: "rate_limit"
        case .cancelConsumer: "cancel_consumer"
        case .addConsumer: "add_consumer"
        }
    }

    /// What a person reads: `rate limit tasks.fetch = 10/m`, `stop consuming queue celery`.
    public var summary: String {
        switch self {
        case .rateLimit(let task, let rate): "rate limit \(task) = \(WorkerChange.rateText(rate))"
        case .cancelConsumer(let queue): "stop consuming queue \(queue)"
        case .addConsumer(let queue): "resume consuming queue \(queue)"
        }
    }

    /// `none` for an empty or zero rate (no limit), else the rate as given.
    public static func rateText(_ rate: String) -> String {
        isNoLimit(rate) ? "none" : rate
    }

    /// True for the rates Celery reads as "no limit": empty, `0`, `0/m`.
    public static func isNoLimit(_ rate: String) -> Bool {
        guard let number = rate.split(separator: "/").first.flatMap({ Double($0) }) else { return rate.isEmpty }
        return number == 0
    }

    /// `N`, `N/s`, `N/m`, `N/h` with N a non-negative finite number: what Celery's rate parser accepts.
    public static func isRate(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard let number = parts.first.flatMap({ Double($0) }), number >= 0, number.isFinite, parts.count <= 2 else { return false }
        return parts.count == 1 || ["s", "m", "h"].contains(parts[1])
    }

    /// Tasks per minute a rate allows one worker (nil: no limit or unreadable).
    public static func perMinute(_ rate: String) -> Double? {
        guard isRate(rate), !isNoLimit(rate) else { return nil }
        let parts = rate.split(separator: "/")
        guard let number = Double(parts[0]) else { return nil }
        switch parts.count == 2 ? parts[1] : "s" {
        case "s": return number * 60
        case "m": return number
        default: return number / 60
        }
    }
}
