import Monitor

/// Where the exact arguments of a requeue came from, in the order they are tried (`docs/celery-wire.md`, "Where exact arguments live").
///
/// Why: the user must see, before anything is sent, how trustworthy each requeue is; the preview and
/// the audit log name the source of every task's arguments.
public enum ArgumentSource: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    /// `celery-task-meta-<id>` in a Redis result backend written with `result_extended=True`.
    case resultBackend = "result_backend"
    /// The task's message still waiting in a queue list (a retry in backoff with a countdown goes to `unacked`).
    case queue
    /// The task's message in the `unacked` hash (reserved: waiting for its ETA or running).
    case unacked
    /// An `inspect active`, `reserved` or `scheduled` reply (real JSON args, re-encoded).
    case inspect
    /// The event's `args`/`kwargs` repr strings, parsed strictly (complete plain literals only).
    case eventRepr = "event_repr"
}
