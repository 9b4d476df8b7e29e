/// The journal as the runtime sees it: batches go in, history and status come out.
///
/// Why a port: the dashboard loop and `record` hand the fold's changes to a writer thread without
/// knowing SQLite; tests use an in-memory fake. Both calls return at once (the adapter does its I/O
/// on its own thread) and are called from the owner's thread only.
public protocol JournalPort: AnyObject, Sendable {
    /// Hands one frame's changes to the writer, which builds and coalesces the rows on its own thread
    /// (never blocks on disk; a port that does not write drops them).
    func submit(_ facts: JournalFacts)
    /// History read since the last call (at start, and new rows while following), and the status.
    func take() -> JournalDelivery
}

/// What a `JournalPort` delivers to the owner once a frame.
public struct JournalDelivery: Sendable, Equatable {
    public var tasks: [JournaledTask] = []
    /// The status when it changed.
    public var status: JournalStatus?
    /// The last 24 h of per-minute counts, when read again (at start, then about once a minute).
    public var rates: JournalRates?

    public init(tasks: [JournaledTask] = [], status: JournalStatus? = nil, rates: JournalRates? = nil) {
        self.tasks = tasks
        self.status = status
        self.rates = rates
    }
}
