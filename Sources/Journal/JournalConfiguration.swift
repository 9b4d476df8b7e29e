import Foundation
import Monitor

/// How a process uses its journal: where it is, what to load at start, how long to keep records.
public struct JournalConfiguration: Sendable {
    public var path: String
    public var retention: JournalRetention
    /// History loaded at start (`--since`, 6 h by default).
    public var loadWindowSeconds: Double
    /// At most this many tasks are loaded (the fold's task bound).
    public var loadLimit: Int
    /// Attempts per task loaded (the fold's attempt bound).
    public var maxAttempts: Int
    /// The audit log to copy actions from (nil: none).
    public var auditLogPath: String?
    /// How often the writer commits (at most one second of changes per transaction).
    public var commitInterval: Double
    /// How often an idle writer marks its session alive: a crash leaves at most this much unaccounted
    /// before the gap the next session records (which starts at the last mark).
    public var aliveInterval: Double
    /// How often a follower reads what the recorder wrote.
    public var followInterval: Double
    /// How often retention runs.
    public var retentionInterval: Double
    /// Epoch seconds (the system clock unless a test injects one).
    public var clock: @Sendable () -> Double

    public init(
        path: String, retention: JournalRetention = JournalRetention(), loadWindowSeconds: Double = 6 * 3_600,
        loadLimit: Int = MonitorLimits().maxTasks, maxAttempts: Int = MonitorLimits().maxAttemptsPerTask,
        auditLogPath: String? = nil, commitInterval: Double = 0.25, aliveInterval: Double = 5, followInterval: Double = 2,
        retentionInterval: Double = 60,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.path = path
        self.retention = retention
        self.loadWindowSeconds = loadWindowSeconds
        self.loadLimit = loadLimit
        self.maxAttempts = maxAttempts
        self.auditLogPath = auditLogPath
        self.commitInterval = commitInterval
        self.aliveInterval = aliveInterval
        self.followInterval = followInterval
        self.retentionInterval = retentionInterval
        self.clock = clock
    }
}
