/// What backfill found since the last take: tasks to merge and the status of every source.
public struct BackfillDelivery: Sendable {
    public var tasks: [BackfilledTask] = []
    /// Nil when nothing changed since the last take.
    public var status: BackfillStatus?

    public init(tasks: [BackfilledTask] = [], status: BackfillStatus? = nil) {
        self.tasks = tasks
        self.status = status
    }
}
