/// The dry-run answer for a requeue: what would be sent, from which sources, and what is refused.
///
/// Why: bulk requeue is shown before it runs (how many, which argument sources, which refused); the
/// same value is then handed to the executor, so what runs is exactly what was previewed.
/// Invariants: every original id appears at most once across `plans` and `refusals`.
public struct RequeuePreview: Sendable, Equatable {
    public var plans: [RequeuePlan]
    public var refusals: [RequeueRefusal]
    /// Ids given more than once and dropped.
    public var duplicates: [String]

    public init(plans: [RequeuePlan] = [], refusals: [RequeueRefusal] = [], duplicates: [String] = []) {
        self.plans = plans
        self.refusals = refusals
        self.duplicates = duplicates
    }

    /// How many plans take their arguments from each source.
    public var countsBySource: [ArgumentSource: Int] {
        plans.reduce(into: [:]) { $0[$1.source, default: 0] += 1 }
    }

    /// Tasks considered (sent or refused).
    public var total: Int { plans.count + refusals.count }
}
