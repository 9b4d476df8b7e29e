/// Everything `retrytop bench` measured, printable as Markdown tables or JSON.
public struct BenchReport: Sendable, Codable {
    public struct Machine: Sendable, Codable {
        public var cores: Int
        public var cpu: String
        public var memoryBytes: Int
        public var command: String

        public init(cores: Int, cpu: String, memoryBytes: Int, command: String) {
            self.cores = cores
            self.cpu = cpu
            self.memoryBytes = memoryBytes
            self.command = command
        }
    }

    public struct Startup: Sendable, Codable {
        /// Process start until the subscriber's PSUBSCRIBE was confirmed, seconds (redis start excluded).
        public var toSubscribedSeconds: Double
        /// Process start until the first frame was built, seconds (nil when no frame renderer is linked).
        public var toFirstFrameSeconds: Double?

        public init(toSubscribedSeconds: Double, toFirstFrameSeconds: Double?) {
            self.toSubscribedSeconds = toSubscribedSeconds
            self.toFirstFrameSeconds = toFirstFrameSeconds
        }
    }

    public struct Frame: Sendable, Codable {
        public var tasks: Int
        public var width: Int
        public var height: Int
        /// Median of the measured frames, milliseconds; nil when no frame renderer is linked.
        public var milliseconds: Double?
        public var note: String

        public init(tasks: Int, width: Int, height: Int, milliseconds: Double?, note: String) {
            self.tasks = tasks
            self.width = width
            self.height = height
            self.milliseconds = milliseconds
            self.note = note
        }
    }

    public var machine: Machine
    public var core: CoreBenchmark.Result?
    public var memory: MemoryBenchmark.Result?
    public var longStorm: LongStormBenchmark.Result?
    public var frames: [Frame] = []
    public var startup: Startup?
    public var rungs: [RungResult] = []
    /// CPU with an idle broker: the dashboard through a pty, and `snapshot`.
    public var idle: [CPUMeasurement] = []
    /// CPU per event at everyday rates, side by side with Celery's EventReceiver + State.
    public var lowRate: [LowRateRung] = []
    public var backfill: BackfillBenchmarkResult?

    public init(machine: Machine) {
        self.machine = machine
    }

    /// Highest target rate up to which every run of `batch` was clean and reached at least 95% of its
    /// target (retrytop alone where such runs exist, else side by side).
    public func highestCleanRate(batch: String) -> Double? {
        let candidates = rungs.filter { $0.batch == batch }
        let alone = candidates.filter { !$0.sideBySide }
        return Self.highestClean((alone.isEmpty ? candidates : alone).map { ($0.targetRate, $0.isClean && $0.publish.achievedRate >= 0.95 * $0.targetRate) })
    }

    static func highestClean(_ runs: [(rate: Double, clean: Bool)]) -> Double? {
        var best: Double?
        for run in runs.sorted(by: { $0.rate < $1.rate }) {
            guard run.clean else { break }
            best = run.rate
        }
        return best
    }

    /// Highest target rate at which Celery's EventReceiver + State lost nothing.
    public func highestPeerCleanRate(batch: String) -> Double? {
        Self.highestClean(rungs.filter { $0.batch == batch && $0.peer != nil }.map { ($0.targetRate, $0.peerIsClean) })
    }
}
