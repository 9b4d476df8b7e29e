/// The progress of one backfill source, shown in the header and the snapshot's `backfill` object.
///
/// Invariants: `keysScanned` counts keys (result records) or hash entries (`unacked`) read so far,
/// `tasksFound` the tasks handed to the model; `total` is the expected count when the source can
/// know it cheaply (HLEN of `unacked`), else nil. Times are epoch seconds from the runtime's clock.
public struct BackfillSourceReport: Sendable, Equatable {
    public var source: TaskSource
    public var phase: BackfillPhase
    public var tasksFound: Int
    public var keysScanned: Int
    public var total: Int?
    /// Why the source failed or was skipped.
    public var error: String?
    /// Entries that could not be read as a task (malformed JSON, not a task message).
    public var malformed: Int
    /// The source stopped at `--backfill-limit`.
    public var limited: Bool
    public var startedAt: Double?
    public var finishedAt: Double?

    public init(
        source: TaskSource, phase: BackfillPhase = .waiting, tasksFound: Int = 0, keysScanned: Int = 0, total: Int? = nil,
        error: String? = nil, malformed: Int = 0, limited: Bool = false, startedAt: Double? = nil, finishedAt: Double? = nil
    ) {
        self.source = source
        self.phase = phase
        self.tasksFound = tasksFound
        self.keysScanned = keysScanned
        self.total = total
        self.error = error
        self.malformed = malformed
        self.limited = limited
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// Seconds from start to finish, once finished.
    public var duration: Double? {
        guard let startedAt, let finishedAt else { return nil }
        return max(0, finishedAt - startedAt)
    }
}
