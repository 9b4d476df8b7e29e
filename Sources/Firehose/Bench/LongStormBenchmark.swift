import Monitor

/// Memory over a storm far longer than the model's bounds: RSS sampled as the fold reaches `maxTasks`
/// and then keeps evicting finished tasks for the rest of the storm.
///
/// Why: a bound on counts is not a bound on memory unless what an evicted task held (attempts, strings,
/// tracebacks, index entries) is really given back. The benchmark checks that RSS stops growing once the
/// task bound is reached. Messages are encoded, decoded and folded one at a time (nothing else grows) and
/// freed heap is returned to the system (`malloc_trim`) before each reading.
public enum LongStormBenchmark {
    public struct Sample: Sendable, Equatable, Codable {
        public var events: Int
        public var tasks: Int
        public var evictedTasks: Int
        public var rssBytes: Int
    }

    public struct Result: Sendable, Equatable, Codable {
        public var maxTasks: Int
        public var stormTasks: Int
        public var samples: [Sample]

        /// The first sample taken with the task bound reached.
        public var firstAtBound: Sample? { samples.first { $0.tasks >= maxTasks } }

        /// RSS growth from the first sample at the bound to the largest later one, as a fraction.
        public var growthAfterBound: Double? {
            guard let first = firstAtBound, first.rssBytes > 0 else { return nil }
            let later = samples.filter { $0.events >= first.events }.map(\.rssBytes).max() ?? first.rssBytes
            return Double(later - first.rssBytes) / Double(first.rssBytes)
        }
    }

    public static func run(storm: Storm, limits: MonitorLimits, samples: Int = 10) -> Result {
        let decoder = EventDecoder()
        var batch: [CeleryEvent] = []
        var stats = DecodeStats()
        var state = MonitorState(limits: limits)
        var taken: [Sample] = []
        let every = max(1, storm.messageCount / max(1, samples))
        for index in 0..<storm.messageCount {
            batch.removeAll(keepingCapacity: true)
            decoder.decode(envelope: EnvelopeEncoder.envelope(storm.message(at: index)), into: &batch, stats: &stats)
            state.apply(batch)
            if (index + 1) % every == 0 || index + 1 == storm.messageCount {
                ResourceUsage.trimHeap()
                taken.append(Sample(
                    events: state.stats.events, tasks: state.tasks.count, evictedTasks: state.stats.evictedTasks,
                    rssBytes: ResourceUsage.residentBytes()))
            }
        }
        return Result(maxTasks: limits.maxTasks, stormTasks: storm.truth.tasks.count, samples: taken)
    }
}
