/// A file written by `retrytop events` (one `EventLine` JSON object per line), decoded and in time order.
///
/// Why: a recording is the post-mortem of a storm. `retrytop replay` plays it through the dashboard,
/// `retrytop snapshot --from` folds it into the same JSON document a live snapshot prints, and
/// `retrytop requeue --events` reads task names and argument reprs from it. All three read it here, so
/// they agree on what a line means. Bad lines are counted in `stats` like bad broker messages, never
/// fatal. Bound: the caller holds the whole recording in memory (it was written by this tool); folding
/// is bounded by the `MonitorLimits` given.
public struct EventRecording: Sendable {
    /// The decoded events, sorted by timestamp (stable: equal timestamps keep file order).
    public private(set) var events: [CeleryEvent]
    /// One `messages` per non-empty line; malformed and unknown lines counted.
    public private(set) var stats: DecodeStats

    /// Decodes the bytes of a recording.
    public init(bytes: [UInt8], decoder: EventDecoder = EventDecoder()) {
        var events: [CeleryEvent] = []
        var stats = DecodeStats()
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            stats.messages += 1
            decoder.decodeBody(json: Array(line), into: &events, stats: &stats)
        }
        let ordered = events.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }
        self.events = ordered.map(\.element)
        self.stats = stats
    }

    /// The first event's timestamp (0 for an empty recording).
    public var firstTimestamp: Double { events.first?.timestamp ?? 0 }

    /// The last event's timestamp (0 for an empty recording): the "now" of a snapshot of the recording,
    /// so the same file always gives the same document.
    public var lastTimestamp: Double { events.last?.timestamp ?? 0 }

    /// The whole recording folded into a fresh model.
    public func folded(limits: MonitorLimits) -> MonitorState {
        var state = MonitorState(limits: limits)
        state.apply(events)
        return state
    }

    /// The link of a recording: `connection` (a recording has none of its own) and the decode counters.
    public func link(connection: ConnectionState) -> LinkStatus {
        var link = LinkStatus(connection: connection)
        link.decodeStats.add(stats)
        return link
    }
}
