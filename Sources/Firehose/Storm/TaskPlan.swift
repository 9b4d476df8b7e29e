/// The planned life of one task: its identity and, per attempt, who ran it and when (microseconds).
struct TaskPlan: Sendable {
    var id: String
    /// Index into `StormGenerator.names` (and the matching exception kind).
    var kind: Int
    /// A number that varies per task, shown in args and exception texts.
    var detail: Int
    var retries: Int
    var failed: Bool
    var workers: [Int32]
    var received: [Int64]
    var started: [Int64]
    var ended: [Int64]
    /// ETA of each attempt (nil for the first).
    var eta: [Int64?]
}
