import Monitor

/// Decides, per task, whether a requeue can send exact arguments and from which source, or refuses.
///
/// Why: "never with guessed arguments". Sources are taken in the order of `docs/celery-wire.md`, "Where exact arguments live" (result backend, queue,
/// unacked, inspect); the event repr is used last and only when `PythonLiteral` accepts both reprs.
/// Pure: the runtime gathers `ArgumentEvidence`, this decides. Invariants: each id is planned at most
/// once (later duplicates are dropped); a plan always has a task name and a queue; a subject already
/// requeued is still planned, and marked in `alreadyRequeued` (skipping it is the caller's choice).
public enum RequeuePlanner {
    /// The queue Celery uses when none is known.
    public static let defaultQueue = "celery"

    /// Plans every subject in order, dropping repeated ids.
    public static func plan(
        subjects: [RequeueSubject], evidence: [String: ArgumentEvidence], queueOverride: String? = nil
    ) -> RequeuePreview {
        var preview = RequeuePreview()
        var seen = Set<String>()
        for subject in subjects {
            guard seen.insert(subject.id).inserted else {
                preview.duplicates.append(subject.id)
                continue
            }
            switch decide(subject: subject, evidence: evidence[subject.id] ?? ArgumentEvidence(), queueOverride: queueOverride) {
            case .success(let plan):
                preview.plans.append(plan)
                if let copy = subject.requeuedAs { preview.alreadyRequeued[plan.originalID] = copy }
            case .failure(let refusal): preview.refusals.append(refusal)
            }
        }
        return preview
    }

    /// The decision for one task.
    public static func decide(
        subject: RequeueSubject, evidence: ArgumentEvidence, queueOverride: String? = nil
    ) -> Result<RequeuePlan, RequeueRefusal> {
        let override = queueOverride.flatMap { $0.isEmpty ? nil : $0 }
        if let exact = evidence.firstFound {
            guard let name = subject.name ?? exact.name else {
                return .failure(RequeueRefusal(
                    id: subject.id, reason: "the task name is unknown (\(exact.source.rawValue) has the arguments but not the name)",
                    remedy: "requeue it from the dashboard after its events were seen, or with a result backend that uses result_extended=True"))
            }
            return .success(RequeuePlan(
                originalID: subject.id, name: name, args: exact.args, kwargs: exact.kwargs, source: exact.source,
                queue: override ?? exact.queue ?? subject.queue ?? defaultQueue, priority: exact.priority,
                argsRepr: subject.argsRepr, kwargsRepr: subject.kwargsRepr))
        }
        var clauses = ArgumentSource.allCases.compactMap { source -> String? in
            switch evidence.findings[source] {
            case .absent(let what)?: "\(source.rawValue): \(what)"
            case .skipped(let why)?: "\(source.rawValue): skipped, \(why)"
            default: nil
            }
        }
        guard let argsRepr = subject.argsRepr, let kwargsRepr = subject.kwargsRepr else {
            clauses.append("event repr: no task-received event with args and kwargs was seen")
            return .failure(RequeueRefusal(id: subject.id, reason: "no exact arguments found (" + clauses.joined(separator: "; ") + ")"))
        }
        let args: String
        let kwargs: String
        do {
            args = try PythonLiteral.argsJSON(argsRepr)
            kwargs = try PythonLiteral.kwargsJSON(kwargsRepr)
        } catch {
            clauses.append("event repr: \(error)")
            return .failure(RequeueRefusal(id: subject.id, reason: "no exact arguments found (" + clauses.joined(separator: "; ") + ")"))
        }
        guard let name = subject.name else {
            return .failure(RequeueRefusal(
                id: subject.id, reason: "the task name is unknown",
                remedy: "requeue it after its task-received event was seen"))
        }
        return .success(RequeuePlan(
            originalID: subject.id, name: name, args: args, kwargs: kwargs, source: .eventRepr,
            queue: override ?? subject.queue ?? defaultQueue, priority: nil, argsRepr: argsRepr, kwargsRepr: kwargsRepr))
    }
}
