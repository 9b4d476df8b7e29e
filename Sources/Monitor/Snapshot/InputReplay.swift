/// Feeds one raw input through everything hostile bytes can reach in the core: the envelope decoder,
/// the body decoder, the fold, the snapshot JSON and the event lines. The fuzz target (`DecodeFuzz`)
/// and the corpus replay test both call it, so a crash input found by one is a test in the other.
///
/// Input: newline-separated lines; each line is decoded as a kombu envelope and again as a bare event
/// body (so a fuzzer reaches the event fields without having to invent base64). Bounds: the model uses
/// small limits (`replayLimits`) so eviction and the attempt bound run on small inputs.
///
/// Checks beyond "does not trap": every decoded event renders as an event line that decodes back to
/// one event with nothing counted bad (the round trip `retrytop events` / `replay` relies on).
public enum InputReplay {
    /// What one replay saw.
    public struct Outcome: Sendable {
        public var stats = DecodeStats()
        public var events = 0
        public var tasks = 0
        public var snapshotBytes = 0
        /// Event lines that did not decode back cleanly (must stay 0).
        public var badRoundTrips = 0
    }

    public static let replayLimits = MonitorLimits(maxTasks: 64, maxAttemptsPerTask: 8, maxWorkers: 8)

    public static func run(_ input: [UInt8]) -> Outcome {
        var outcome = Outcome()
        var events: [CeleryEvent] = []
        let decoder = EventDecoder(maxMessageBytes: 1 << 20)
        var start = 0
        while start <= input.count {
            let end = input[start...].firstIndex(of: 0x0A) ?? input.count
            let line = Array(input[start..<end])
            if !line.isEmpty {
                decoder.decode(envelope: line, into: &events, stats: &outcome.stats)
                decoder.decodeBody(json: line, into: &events, stats: &outcome.stats)
            }
            start = end + 1
        }
        var state = MonitorState(limits: replayLimits)
        state.apply(events)
        var link = LinkStatus()
        link.decodeStats = outcome.stats
        outcome.events = events.count
        outcome.tasks = state.tasks.count
        outcome.snapshotBytes = SnapshotDocument.render(state, link: link, now: state.latestTimestamp + 1).utf8.count
        for event in events {
            var again: [CeleryEvent] = []
            var stats = DecodeStats()
            decoder.decodeBody(json: Array(EventLine.render(event).utf8), into: &again, stats: &stats)
            if again.count != 1 || stats.malformed != 0 || stats.badValues != 0 { outcome.badRoundTrips += 1 }
        }
        return outcome
    }
}
