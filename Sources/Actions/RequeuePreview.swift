import Monitor

/// The dry-run answer for a requeue: what would be sent, from which sources, and what is refused.
///
/// Why: bulk requeue is shown before it runs (how many, which argument sources, which refused); the
/// same value is then handed to the executor, so what runs is exactly what was previewed.
/// Invariants: every original id appears at most once across `plans` and `refusals`; the keys of
/// `alreadyRequeued` are ids of `plans` (a repeat is only worth mentioning if it could be sent).
///
/// Repair once: a task already requeued (a copy linked in this run, or one in the audit log) stays in
/// `plans` with its known copy in `alreadyRequeued`; `skippingAlreadyRequeued()` is what is sent unless
/// the user forces it, so a second bulk requeue of the same failures sends nothing.
public struct RequeuePreview: Sendable, Equatable {
    public var plans: [RequeuePlan]
    public var refusals: [RequeueRefusal]
    /// Ids given more than once and dropped.
    public var duplicates: [String]
    /// Planned ids that were requeued before → the copy's id ("" when the copy's id is not known).
    public var alreadyRequeued: [String: String]

    public init(
        plans: [RequeuePlan] = [], refusals: [RequeueRefusal] = [], duplicates: [String] = [],
        alreadyRequeued: [String: String] = [:]
    ) {
        self.plans = plans
        self.refusals = refusals
        self.duplicates = duplicates
        self.alreadyRequeued = alreadyRequeued
    }

    /// Notes earlier copies of planned tasks (ids that are not planned are ignored; a known copy id wins).
    public mutating func noteAlreadyRequeued(_ copies: [String: String]) {
        for plan in plans {
            guard let copy = copies[plan.originalID] else { continue }
            if alreadyRequeued[plan.originalID]?.isEmpty ?? true { alreadyRequeued[plan.originalID] = copy }
        }
    }

    /// The plans of tasks already requeued, in plan order.
    public var repeats: [RequeuePlan] { plans.filter { alreadyRequeued[$0.originalID] != nil } }

    /// What is sent unless forced: the same preview without the plans of tasks already requeued
    /// (they stay listed in `alreadyRequeued`, so reports can say they were skipped).
    public func skippingAlreadyRequeued() -> RequeuePreview {
        var preview = self
        preview.plans.removeAll { alreadyRequeued[$0.originalID] != nil }
        return preview
    }

    /// How many plans take their arguments from each source.
    public var countsBySource: [ArgumentSource: Int] {
        plans.reduce(into: [:]) { $0[$1.source, default: 0] += 1 }
    }

    /// Tasks considered (sent or refused).
    public var total: Int { plans.count + refusals.count }
}
