import Actions
import Monitor

/// The paced requeue started from this dashboard: its pace, the latest progress, and when it ended.
///
/// Why: the progress line under the header needs more than the port's `RequeueProgress` (the pace
/// it was started at, whether a pause or abort was asked for but not yet seen), and the summary of a
/// finished run stays up for `AppState.requeueSummarySeconds` before it goes. At most one run is
/// active at a time: `R` and `A` refuse to start another while `isRunning`.
public struct RequeueActivity: Sendable, Equatable {
    public var pace: RequeuePace
    public var progress: RequeueProgress
    /// Tick time the dialog was accepted.
    public var startedAt: Double
    /// Tick time the first finished progress arrived; nil while running.
    public var finishedAt: Double?
    /// `C` was pressed; the sender stops after its current message.
    public var abortRequested = false
    /// Tasks the dialog skipped because they were requeued already (0 when forced with `f`).
    public var skipped = 0

    public init(pace: RequeuePace, progress: RequeueProgress, startedAt: Double) {
        self.pace = pace
        self.progress = progress
        self.startedAt = startedAt
    }

    /// Still sending (or paused): pause, resume and abort apply.
    public var isRunning: Bool { finishedAt == nil && !progress.finished }
}
