import Monitor

/// The generator's ground truth for a storm: the final state, retries and attempts of every task id.
///
/// Used to check a fold: with no events lost, `mismatches(in:)` must be empty, whatever the arrival
/// order across workers.
public struct StormTruth: Sendable, Equatable {
    public var tasks: [String: TaskTruth]
    public var workers: [String]

    public init(tasks: [String: TaskTruth] = [:], workers: [String] = []) {
        self.tasks = tasks
        self.workers = workers
    }

    /// One task whose folded record differs from the truth (or is missing).
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        public var id: String
        public var expected: TaskTruth
        /// Nil when the task was not tracked at all.
        public var foldedState: TaskState?
        public var foldedRetries: Int?
        public var foldedAttempts: Int?

        public var description: String {
            "\(id): expected \(expected.state.rawValue) retries=\(expected.retries) attempts=\(expected.attempts), folded "
                + (foldedState.map { "\($0.rawValue) retries=\(foldedRetries ?? -1) attempts=\(foldedAttempts ?? -1)" } ?? "nothing")
        }
    }

    /// Every task whose folded state, retry count or attempt count differs from the truth.
    public func mismatches(in state: MonitorState) -> [Mismatch] {
        var found: [Mismatch] = []
        for id in tasks.keys.sorted() {
            guard let expected = tasks[id] else { continue }
            guard let record = state.tasks[id] else {
                found.append(Mismatch(id: id, expected: expected))
                continue
            }
            let attempts = record.attempts.count + record.droppedAttempts
            if record.state != expected.state || record.retries != expected.retries || attempts != expected.attempts {
                found.append(Mismatch(
                    id: id, expected: expected, foldedState: record.state, foldedRetries: record.retries, foldedAttempts: attempts))
            }
        }
        return found
    }

    /// Tasks per final state.
    public var counts: [TaskState: Int] {
        tasks.values.reduce(into: [:]) { $0[$1.state, default: 0] += 1 }
    }

    /// Attempts over all tasks.
    public var attempts: Int { tasks.values.reduce(0) { $0 + $1.attempts } }
}
