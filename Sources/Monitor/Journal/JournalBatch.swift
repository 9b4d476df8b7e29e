/// One frame's changes for the journal writer: tasks worth keeping, rate cells, workers, exception groups
/// and the connection's gaps. Built by `MonitorState.takeJournalBatch()` on the owner's thread.
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
