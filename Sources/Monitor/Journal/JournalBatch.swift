/// Rows for the journal: tasks worth keeping, rate cells, workers, exception groups and the connection's
/// gaps. Built from the fold's `JournalFacts` on the writer's thread (`JournalFacts.batch()`); the
/// facts carry the parts that need no building in one (`JournalFacts.rows`).
///
/// Bounds: at most what one `JournalFeed` holds; the writer coalesces batches by key, so a writer that
/// falls behind holds the latest value of each task, never a queue of every change.
public struct JournalBatch: Sendable, Equatable {
    public var tasks: [JournaledTask] = []
    public var rateCells: [RateCell] = []
    public var workers: [WorkerRecord] = []
    public var exceptionGroups: [ExceptionGroup] = []
    /// The connection's loss windows (at most `ConnectionState.maxGaps`).
    public var gaps: [ConnectionState.Gap] = []
    /// Changes the feed could not hold (passed its bound) since the last batch.
    public var overflow = 0

    public init() {}

    public var isEmpty: Bool {
        tasks.isEmpty && rateCells.isEmpty && workers.isEmpty && exceptionGroups.isEmpty && gaps.isEmpty && overflow == 0
    }
}
