/// Every remote-control command retrytop sends to Celery workers: the one place each pidbox message's
/// method name and arguments are written.
///
/// Why: revoke, rate limits, consumers and inspect each have a wire shape Celery checks by name
/// (`docs/celery-wire.md`, "Remote control"); built here once, a caller cannot send a second, drifted
/// copy. `BrokerControl` takes these values and wraps them in a `PidboxRequest`. Pure.
public enum ControlMessage: Sendable, Equatable {
    /// Revokes tasks; `terminate` also kills a running one with `signal` (`SIGTERM`, `SIGKILL`…).
    case revoke(ids: [String], terminate: Bool, signal: String)
    /// Makes every worker emit a worker-heartbeat event at once.
    case heartbeat
    /// Sets a task name's rate limit (`10/m`, `2/s`, `0` lifts it), in worker memory only.
    case rateLimit(task: String, rate: String)
    /// Takes a queue up again.
    case addConsumer(queue: String)
    /// Stops consuming a queue.
    case cancelConsumer(queue: String)
    /// `inspect registered` with these task info fields (`max_retries`, `rate_limit`…).
    case registered(fields: [String])
    /// `inspect active_queues`: the queues each worker consumes.
    case activeQueues
    /// `inspect active`, `reserved`, `scheduled`: tasks a worker holds, with their arguments.
    case active
    case reserved
    case scheduled
    /// `inspect revoked`: the ids in each worker's revoked set (discarded when their message arrives).
    case revoked
    /// `ping`: who is there.
    case ping
    /// `inspect stats`: pool (implementation, max-concurrency, processes), prefetch count, uptime.
    case stats

    /// The pidbox `method` field.
    public var method: String {
        switch self {
        case .revoke: "revoke"
        case .heartbeat: "heartbeat"
        case .rateLimit: "rate_limit"
        case .addConsumer: "add_consumer"
        case .cancelConsumer: "cancel_consumer"
        case .registered: "registered"
        case .activeQueues: "active_queues"
        case .active: "active"
        case .reserved: "reserved"
        case .scheduled: "scheduled"
        case .revoked: "revoked"
        case .ping: "ping"
        case .stats: "stats"
        }
    }

    /// The pidbox `arguments` object.
    public var arguments: [String: JSONValue] {
        switch self {
        case .revoke(let ids, let terminate, let signal):
            ["task_id": .array(ids.map(JSONValue.string)), "terminate": .bool(terminate), "signal": .string(signal)]
        case .rateLimit(let task, let rate):
            ["task_name": .string(task), "rate_limit": .string(rate)]
        case .addConsumer(let queue), .cancelConsumer(let queue):
            ["queue": .string(queue)]
        case .registered(let fields):
            ["taskinfoitems": .array(fields.map(JSONValue.string))]
        case .heartbeat, .activeQueues, .active, .reserved, .scheduled, .revoked, .ping, .stats:
            [:]
        }
    }
}
