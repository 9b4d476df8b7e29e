import Monitor
import Threading

/// Decode-only, fold-only and decode+fold throughput on one core, from envelopes held in memory.
///
/// Why in memory: it isolates retrytop's own cost per event from Redis and the network, so it can be
/// compared with the end-to-end rate and profiled (valgrind) on its own. Each figure is the best of
/// `repetitions` runs (the least disturbed by other processes on a shared machine).
public enum CoreBenchmark {
    public struct Result: Sendable, Equatable, Codable {
        public var messages: Int
        public var events: Int
        public var envelopeBytes: Int
        public var decodeEventsPerSecond: Double
        public var foldEventsPerSecond: Double
        /// Decoding each message and folding its events right away, on one thread.
        public var decodeFoldEventsPerSecond: Double
        /// Tasks whose folded state differs from the truth after folding the storm in publish order.
        public var mismatches: Int
        public var decodeFailures: Int
    }

    public static func run(storm: Storm, repetitions: Int = 3) -> Result {
        let encoded = (0..<storm.messageCount).map { EnvelopeEncoder.envelope(storm.message(at: $0)) }
        let decoder = EventDecoder()
        var decodeBest = Double.infinity
        var events: [CeleryEvent] = []
        var stats = DecodeStats()
        for _ in 0..<max(1, repetitions) {
            events = []
            events.reserveCapacity(storm.eventCount)
            stats = DecodeStats()
            let start = MonotonicClock.now()
            for envelope in encoded { decoder.decode(envelope: envelope, into: &events, stats: &stats) }
            decodeBest = min(decodeBest, MonotonicClock.now() - start)
        }
        var foldBest = Double.infinity
        var mismatches = 0
        for _ in 0..<max(1, repetitions) {
            var state = MonitorState(limits: MonitorLimits(maxTasks: max(100_000, storm.truth.tasks.count)))
            let start = MonotonicClock.now()
            state.apply(events)
            foldBest = min(foldBest, MonotonicClock.now() - start)
            mismatches = storm.truth.mismatches(in: state).count
        }
        var bothBest = Double.infinity
        for _ in 0..<max(1, repetitions) {
            var state = MonitorState(limits: MonitorLimits(maxTasks: max(100_000, storm.truth.tasks.count)))
            var batch: [CeleryEvent] = []
            var batchStats = DecodeStats()
            let start = MonotonicClock.now()
            for envelope in encoded {
                batch.removeAll(keepingCapacity: true)
                decoder.decode(envelope: envelope, into: &batch, stats: &batchStats)
                state.apply(batch)
            }
            bothBest = min(bothBest, MonotonicClock.now() - start)
        }
        let count = Double(events.count)
        return Result(
            messages: encoded.count, events: events.count, envelopeBytes: encoded.reduce(0) { $0 + $1.count },
            decodeEventsPerSecond: count / decodeBest, foldEventsPerSecond: count / foldBest,
            decodeFoldEventsPerSecond: count / bothBest, mismatches: mismatches,
            decodeFailures: stats.malformed + stats.unknown + stats.badFields)
    }
}
