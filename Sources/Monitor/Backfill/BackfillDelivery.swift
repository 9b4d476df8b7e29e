/// What backfill found since the last take: tasks to merge and the status of every source.
public struct BackfillDelivery: Sendable {
    public var tasks: [BackfilledTask] = []
    /// Nil when nothing changed since the last take.
    public var status: BackfillStatus?
    /// The queue lengths when they were read again since the last take.
    public var queues: QueueDepths?

    public init(tasks: [BackfilledTask] = [], status: BackfillStatus? = nil, queues: QueueDepths? = nil) {
        self.tasks = tasks
        self.status = status
        self.queues = queues
    }
}
