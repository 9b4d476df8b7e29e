/// What the fold changed since the journal writer last took a batch: the bounded feed to disk.
///
/// Why in the core: the dashboard must never wait on disk, so the fold only notes *which* tasks,
/// workers and exception groups changed and counts per-minute rates; the owner takes that as
/// `JournalFacts` once a frame (`MonitorState.takeJournalFacts()`: lookups and pointer copies), and a
/// writer thread builds the rows and does the I/O.
/// Bounds: `touchedTasks` at most `maxTouchedTasks`, `rateCells` at most `maxRateCells`,
/// `touchedWorkers` and `touchedGroups` follow the fold's own bounds; what passes a bound is counted
/// in `overflow` (the journal then misses those changes, and says so).
public struct JournalFeed: Sendable, Equatable {
    public static let maxTouchedTasks = 200_000
    public static let maxRateCells = 50_000

    public var touchedTasks: Set<TaskKey> = []
    public var rateCells: [RateCell.Key: RateCell] = [:]
    public var touchedWorkers: Set<String> = []
    public var touchedGroups: Set<FingerprintKey> = []
    /// Attempts whose traceback arrived since the last batch (only these carry their text to the writer,
    /// which keeps a traceback it already has); bounded with `touchedTasks`.
    var tracebacks: Set<TracebackStore.Key> = []
    /// Changes that passed a bound and will not reach the journal.
    public var overflow = 0

    public init() {}

    public var isEmpty: Bool {
        touchedTasks.isEmpty && rateCells.isEmpty && touchedWorkers.isEmpty && touchedGroups.isEmpty
    }

    mutating func touch(_ key: TaskKey) {
        if touchedTasks.count >= JournalFeed.maxTouchedTasks, !touchedTasks.contains(key) {
            overflow += 1
            return
        }
        touchedTasks.insert(key)
    }

    mutating func count(_ kind: RateKind, name: String, at timestamp: Double) {
        guard timestamp.isFinite, abs(timestamp) < 1e12 else { return }
        let key = RateCell.Key(name: name, minute: RateCell.minute(of: timestamp))
        if let slot = rateCells.index(forKey: key) {
            rateCells.values[slot].add(kind)
        } else if rateCells.count < JournalFeed.maxRateCells {
            var cell = RateCell(key: key)
            cell.add(kind)
            rateCells[key] = cell
        } else {
            overflow += 1
        }
    }
}
