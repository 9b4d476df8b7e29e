import Monitor

/// What the monitor knows about a task to be requeued: its id and, when events were seen, the name,
/// queue and the argument reprs.
///
/// Why: the dashboard builds subjects from `TaskRecord`s; the CLI from ids alone (and a snapshot when
/// given). Everything but `id` is optional; exact sources fill the gaps.
public struct RequeueSubject: Sendable, Equatable, Hashable {
    public var id: String
    public var name: String?
    public var argsRepr: String?
    public var kwargsRepr: String?
    public var queue: String?
    public var state: TaskState?
    /// The copy retrytop already sent of this task in this run, if any: a repeat is skipped unless forced.
    public var requeuedAs: String?

    public init(
        id: String, name: String? = nil, argsRepr: String? = nil, kwargsRepr: String? = nil, queue: String? = nil,
        state: TaskState? = nil, requeuedAs: String? = nil
    ) {
        self.id = id
        self.name = name
        self.argsRepr = argsRepr
        self.kwargsRepr = kwargsRepr
        self.queue = queue
        self.state = state
        self.requeuedAs = requeuedAs
    }

    /// The subject for a folded task: its routing key is the queue it was sent to.
    public init(record: TaskRecord) {
        self.init(
            id: record.id, name: record.name, argsRepr: record.args, kwargsRepr: record.kwargs,
            queue: record.routingKey ?? record.queue, state: record.state,
            requeuedAs: record.requeuedAs)
    }
}
