import Monitor

/// Memory per tracked task: fold a storm of many tasks (with attempt history) and divide the growth.
///
/// Messages are encoded, decoded and folded one at a time, so nothing but the model grows; freed heap
/// is returned to the system (`malloc_trim`) before each reading so RSS means memory in use.
public enum MemoryBenchmark {
    public struct Result: Sendable, Equatable, Codable {
        public var tasks: Int
        public var attempts: Int
        public var events: Int
        public var rssDeltaBytes: Int
        public var mismatches: Int
        public var tracebackBytesLimit: Int

        public var rssBytesPerTask: Double { tasks > 0 ? Double(rssDeltaBytes) / Double(tasks) : 0 }
    }

    public static func run(storm: Storm, limits: MonitorLimits) -> (Result, MonitorState) {
        let decoder = EventDecoder()
        var batch: [CeleryEvent] = []
        var stats = DecodeStats()
        ResourceUsage.trimHeap()
        let rssBefore = ResourceUsage.residentBytes()
        var state = MonitorState(limits: limits)
        for index in 0..<storm.messageCount {
            batch.removeAll(keepingCapacity: true)
            decoder.decode(envelope: EnvelopeEncoder.envelope(storm.message(at: index)), into: &batch, stats: &stats)
            state.apply(batch)
        }
        batch = []
        ResourceUsage.trimHeap()
        let rssAfter = ResourceUsage.residentBytes()
        let attempts = state.tasks.values.reduce(0) { $0 + $1.attempts.count }
        let result = Result(
            tasks: state.tasks.count, attempts: attempts, events: state.stats.events,
            rssDeltaBytes: rssAfter - rssBefore,
            mismatches: storm.truth.mismatches(in: state).count, tracebackBytesLimit: limits.maxTracebackBytes)
        return (result, state)
    }
}
