/// Where retrytop learned of a task: its live events, or one of the places backfill reads at start.
///
/// Why: a task seen before retrytop subscribed is known only from what Redis still holds, and each
/// source tells different facts with different trust (`docs/celery-wire.md`, "Backfill: what a late starter can read"): the user must see where a row came
/// from. Order is the snapshot's order: events first, then the broker's own structures, then the
/// result backend, which can be wrong (docs/celery-wire.md, "Result backend records").
public enum TaskSource: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    /// Live events (`task-*`), after retrytop subscribed.
    case events
    /// The broker's `unacked` hash: a message a worker holds (waiting for its ETA, prefetched, acks_late).
    case unacked
    /// A message still waiting in a queue list.
    case queue
    /// An `inspect active/reserved/scheduled` reply.
    case inspect
    /// `celery-task-meta-<id>` in a Redis result backend.
    case resultBackend = "result_backend"
    /// The SQLite journal a recorder (or an earlier run) wrote: history from before this process started.
    case journal

    /// The bit of this source in `TaskSources`.
    var bit: UInt8 {
        switch self {
        case .events: 1
        case .unacked: 2
        case .queue: 4
        case .inspect: 8
        case .resultBackend: 16
        case .journal: 32
        }
    }
}
