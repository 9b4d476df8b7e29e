/// The set of sources a task was seen in, one byte per task.
///
/// Why a bit set: every tracked task carries it (up to `MonitorLimits.maxTasks`), so it is stored
/// inline in the record's storage rather than as a Set of enums.
public struct TaskSources: Sendable, Equatable, Hashable {
    public private(set) var rawValue: UInt8

    public init(rawValue: UInt8 = 0) {
        self.rawValue = rawValue
    }

    public init(_ sources: [TaskSource]) {
        rawValue = sources.reduce(0) { $0 | $1.bit }
    }

    public func contains(_ source: TaskSource) -> Bool { rawValue & source.bit != 0 }

    public mutating func insert(_ source: TaskSource) { rawValue |= source.bit }

    public var isEmpty: Bool { rawValue == 0 }

    /// The sources in `TaskSource` order.
    public var list: [TaskSource] { TaskSource.allCases.filter(contains) }
}
