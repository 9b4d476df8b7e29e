/// Where one backfill source stands.
public enum BackfillPhase: String, Sendable, Equatable, CaseIterable {
    /// Not started yet.
    case waiting
    /// Reading.
    case running
    /// Read to the end (or to its bound: see `BackfillSourceReport.limited`).
    case done
    /// Stopped by an error (shown; the other sources go on).
    case failed
    /// Not read, and why is in the report's `error` (no result backend given, `--no-backfill`).
    case skipped
    /// Still running when the snapshot had to be printed.
    case cut

    /// Whether the source will report nothing more.
    public var isFinal: Bool { self != .waiting && self != .running }
}
