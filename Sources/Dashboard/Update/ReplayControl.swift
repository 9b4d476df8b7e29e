/// What the replay keys ask of a replay source (`Effect.replay`); a live source ignores them.
public enum ReplayControl: Sendable, Equatable {
    case togglePause
    /// Pause (if playing) and deliver the next event.
    case step
    /// Move the recording's time by this many seconds; backwards refolds from the start.
    case seek(seconds: Double)

    /// Seconds `<` and `>` move.
    public static let seekSeconds = 10.0
}
