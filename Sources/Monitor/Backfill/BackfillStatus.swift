/// Backfill as a whole: one report per source read at start, and since when retrytop watches.
///
/// Why: the header shows progress while the user already works, then "watching since"; `snapshot`
/// waits for it or says it was cut. Bound: one report per `TaskSource` (at most five).
public struct BackfillStatus: Sendable, Equatable {
    /// False with `--no-backfill` (and for replays): nothing is read at start.
    public var enabled: Bool
    /// When retrytop subscribed: everything before comes from backfill, everything after from events.
    public var watchingSince: Double?
    /// In `TaskSource` order.
    public var reports: [BackfillSourceReport]

    public init(enabled: Bool = false, watchingSince: Double? = nil, reports: [BackfillSourceReport] = []) {
        self.enabled = enabled
        self.watchingSince = watchingSince
        self.reports = reports
    }

    /// True when there is nothing left to wait for.
    public var isFinished: Bool { reports.allSatisfy { $0.phase.isFinal } }

    public subscript(_ source: TaskSource) -> BackfillSourceReport? {
        reports.first { $0.source == source }
    }

    /// Replaces (or adds) the report of its source, keeping `TaskSource` order.
    public mutating func update(_ report: BackfillSourceReport) {
        reports.removeAll { $0.source == report.source }
        reports.append(report)
        let order = TaskSource.allCases
        reports.sort { order.firstIndex(of: $0.source)! < order.firstIndex(of: $1.source)! }
    }

    /// Marks every unfinished source as cut (the snapshot could not wait longer).
    public mutating func cut() {
        for index in reports.indices where !reports[index].phase.isFinal { reports[index].phase = .cut }
    }
}
