/// The backfill rung of `retrytop bench`: result keys and `unacked` entries read at start while a storm
/// folds, and how long Redis was blocked meanwhile.
///
/// Why: backfill runs while the user already works and events keep arriving; it must finish quickly,
/// lose no event and never block Redis for long (issue 12: 100,000 result keys and 10,000 unacked in
/// at most 3 s during a 10,000 events/s storm, with 0 loss).
public struct BackfillBenchmarkResult: Sendable, Codable {
    public var resultKeys: Int
    public var unackedEntries: Int
    /// Subscribe confirmed → every source done, with everything found merged into the model.
    public var seconds: Double
    /// Per source: keys read, tasks found, seconds from its start to its end.
    public var sources: [Source]
    public var tasksMerged: Int
    public var stormTargetRate: Double
    public var stormAchievedRate: Double
    public var publishedEvents: Int
    public var foldedEvents: Int
    public var subscriberDropped: Bool
    /// The longest command Redis ran during the rung (SLOWLOG, threshold 0), microseconds, and its name.
    public var longestCommandMicroseconds: Int
    public var longestCommand: String
    /// This process's CPU time over the rung (subscriber, decode, fold, backfill threads, merge).
    public var cpuSeconds: Double

    public struct Source: Sendable, Codable {
        public var name: String
        public var keysScanned: Int
        public var tasksFound: Int
        public var seconds: Double?

        public init(name: String, keysScanned: Int, tasksFound: Int, seconds: Double?) {
            self.name = name
            self.keysScanned = keysScanned
            self.tasksFound = tasksFound
            self.seconds = seconds
        }
    }

    public init(
        resultKeys: Int, unackedEntries: Int, seconds: Double, sources: [Source], tasksMerged: Int, stormTargetRate: Double,
        stormAchievedRate: Double, publishedEvents: Int, foldedEvents: Int, subscriberDropped: Bool,
        longestCommandMicroseconds: Int, longestCommand: String, cpuSeconds: Double
    ) {
        self.resultKeys = resultKeys
        self.unackedEntries = unackedEntries
        self.seconds = seconds
        self.sources = sources
        self.tasksMerged = tasksMerged
        self.stormTargetRate = stormTargetRate
        self.stormAchievedRate = stormAchievedRate
        self.publishedEvents = publishedEvents
        self.foldedEvents = foldedEvents
        self.subscriberDropped = subscriberDropped
        self.longestCommandMicroseconds = longestCommandMicroseconds
        self.longestCommand = longestCommand
        self.cpuSeconds = cpuSeconds
    }

    /// Events published but not folded.
    public var lostEvents: Int { max(0, publishedEvents - foldedEvents) }
}
