/// What the journal is doing, for the header, the snapshot's `journal` object and `record`'s log.
///
/// Pure value set by the runtime from the journal adapter's reports. Bound: `gaps` keeps the newest
/// `maxGaps` windows when nothing was recording.
public struct JournalStatus: Sendable, Equatable {
    public static let maxGaps = 100

    public enum Mode: String, Sendable, Equatable {
        /// `--no-journal`, or no journal to read.
        case off
        /// This process writes the journal (it holds the lock).
        case writing
        /// Another process (a recorder) writes it; this one reads and follows.
        case following
        /// Read once at start, never written (`snapshot`).
        case reading
        /// It could not be opened or written: `error` says why; live monitoring carries on.
        case failed
    }

    public var mode: Mode
    public var path: String?
    /// Tasks loaded from the journal at start and while following.
    public var tasksLoaded = 0
    /// The oldest time the journal holds a record of (epoch seconds).
    public var oldestRecord: Double?
    /// Windows when nothing was recording into this journal, oldest first.
    public var gaps: [ConnectionState.Gap] = []
    /// The last error, one line (disk full, unwritable path), nil when writing works.
    public var error: String?
    /// Times the writer fell behind (a commit of changes that had waited more than a second).
    public var behind = 0
    /// Changes the fold's bounded feed could not hold, which the journal therefore misses.
    public var overflow = 0
    /// Tasks written so far by this process.
    public var tasksWritten = 0

    public init(mode: Mode = .off, path: String? = nil) {
        self.mode = mode
        self.path = path
    }

    /// Keeps the newest `maxGaps` gaps.
    public mutating func setGaps(_ windows: [ConnectionState.Gap]) {
        gaps = Array(windows.suffix(JournalStatus.maxGaps))
    }
}
