/// The journal as the runtime sees it: batches go in, history and status come out.
///
/// Why a port: the dashboard loop and `record` hand the fold's changes to a writer thread without
/// knowing SQLite; tests use an in-memory fake. Both calls return at once (the adapter does its I/O
/// on its own thread) and are called from the owner's thread only.
public protocol JournalPort: AnyObject, Sendable {
    /// Hands one frame's changes to the writer (coalesced with what waits; never blocks on disk).
    func submit(_ batch: JournalBatch)
    /// History read since the last call (at start, and new rows while following), and the status.
    func take() -> JournalDelivery
}

/// What a `JournalPort` delivers to the owner once a frame.
public struct JournalDelivery: Sendable, Equatable {
    public var tasks: [JournaledTask] = []
    /// The status when it changed.
    public var status: JournalStatus?

    public init(tasks: [JournaledTask] = [], status: JournalStatus? = nil) {
        self.tasks = tasks
        self.status = status
    }
}
