/// One bound queue's length: the sum of its list and its three priority sub-lists (docs/celery-wire.md,
/// "Queue lists and priority sub-lists").
///
/// Why: a storm that fills a queue is the first thing people check; the length is read with `LLEN`
/// (constant time) on each list, never by reading the messages.
public struct QueueDepth: Sendable, Equatable {
    public var name: String
    /// Messages per priority step `[0, 3, 6, 9]` (kombu's lists `q`, `q\x06\x163`, `...6`, `...9`).
    public var bySteps: [Int]

    public init(name: String, bySteps: [Int]) {
        self.name = name
        self.bySteps = bySteps
    }

    /// Messages waiting in the queue, all priorities.
    public var messages: Int { bySteps.reduce(0) { $0.addingReportingOverflow($1).overflow ? Int.max : $0 + $1 } }
}
