import Actions
import Monitor

/// A change retrytop made to the workers and has not undone: listed under the header until undone.
///
/// Why: a rate limit or a cancelled consumer outlives the storm and is invisible elsewhere (no event
/// reports it). The entry keeps what undo needs (each worker's value before the change) and what
/// re-applying needs (the change and whom it addressed). Bound: `AppState.maxWorkerChanges` entries.
public struct WorkerChangeEntry: Sendable, Equatable {
    public var id: Int
    public var change: WorkerChange
    /// The workers it was sent to; nil: every worker (then also every worker that comes online).
    public var destination: [String]?
    /// node → the value read before the change (see `WorkerChangeResult.previous`).
    public var previous: [String: String]
    /// Workers that answered ok (including those it was re-applied to), sorted.
    public var appliedOn: [String]
    /// Tick time it was made.
    public var madeAt: Double
    /// Undo was confirmed and is on its way.
    public var undoing = false

    public init(id: Int, change: WorkerChange, destination: [String]?, previous: [String: String], appliedOn: [String], madeAt: Double) {
        self.id = id
        self.change = change
        self.destination = destination
        self.previous = previous
        self.appliedOn = appliedOn
        self.madeAt = madeAt
    }

    /// Whether a worker that came online as `hostname` should get this change again.
    public func applies(to hostname: String) -> Bool {
        destination.map { $0.contains(hostname) } ?? true
    }

    /// The requests that restore each worker's previous value, one per distinct value. A worker whose
    /// value was not read (re-applied later) gets the value most workers had. A resumed queue is
    /// cancelled again, and a cancelled one resumed, only on workers that were in that state before.
    public func undoRequests() -> [WorkerChangeRequest] {
        let nodes = appliedOn.isEmpty ? (destination ?? []) : appliedOn
        switch change {
        case .rateLimit(let task, _):
            var counts: [String: Int] = [:]
            for value in previous.values { counts[value, default: 0] += 1 }
            let usual = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""
            var groups: [String: [String]] = [:]
            for node in nodes { groups[previous[node] ?? usual, default: []].append(node) }
            return groups.keys.sorted().map { rate in
                WorkerChangeRequest(change: .rateLimit(task: task, rate: rate), destination: groups[rate]?.sorted(), purpose: .undo(id: id))
            }
        case .cancelConsumer(let queue):
            let targets = nodes.filter { previous[$0] != "not consuming" }.sorted()
            return targets.isEmpty ? [] : [WorkerChangeRequest(change: .addConsumer(queue: queue), destination: targets, purpose: .undo(id: id))]
        case .addConsumer(let queue):
            let targets = nodes.filter { previous[$0] == "not consuming" }.sorted()
            return targets.isEmpty ? [] : [WorkerChangeRequest(change: .cancelConsumer(queue: queue), destination: targets, purpose: .undo(id: id))]
        }
    }

    /// What undo restores, for the dialog: `rate limit tasks.fetch = none on w1@vm, w2@vm`.
    public var undoText: String {
        let requests = undoRequests()
        guard !requests.isEmpty else { return "nothing to restore (no worker was in the other state before)" }
        return requests.map { "\($0.change.summary) on \($0.destinationText)" }.joined(separator: "; ")
    }
}
