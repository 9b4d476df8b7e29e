import Monitor
import TerminalUI

/// Everything that can change `AppState`: time, keys, size, events, and results of effects.
public enum Message: Sendable {
    /// A frame tick carrying the injected clock's time (epoch seconds). The only way time enters; the
    /// periodic retry-policy refresh is decided here (`.refreshPolicies`).
    case tick(now: Double)
    case key(Key)
    case resized(width: Int, height: Int)
    /// A batch of decoded events to fold into the live model (the frozen view, if any, stays put).
    /// The only way events enter: the dashboard's indexes follow the tasks a batch touched.
    case events([CeleryEvent])
    /// Counters from the decoder and the subscriber's inbox: decode stats to add, drops so far.
    case linkCounters(LinkCounters)
    /// The subscriber's connection state changed.
    case connection(ConnectionState)
    /// Tasks backfill found at start (merged by the backfill rules) and its progress when it changed.
    case backfill(tasks: [BackfilledTask], status: BackfillStatus?)
    /// The broker's queue lengths, read again.
    case queues(QueueDepths)
    case commandFinished(CommandResult)
    /// A replay's position, every frame of a replay.
    case replay(ReplayPosition)
    /// The replay went back in time: the model is rebuilt from the recording's start (events follow).
    case replayRestarted
    /// History from the journal (at start, and while following a recorder) and its status when it changed.
    case journal(JournalDelivery)
}
