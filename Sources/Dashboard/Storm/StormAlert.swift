/// A task name whose retries jumped well above its own recent baseline.
public struct StormAlert: Sendable, Equatable {
    public var name: String
    /// Retries in the last minute.
    public var retriesPerMinute: Int
    /// Average retries per minute over the baseline window before it.
    public var baselinePerMinute: Double

    public init(name: String, retriesPerMinute: Int, baselinePerMinute: Double) {
        self.name = name
        self.retriesPerMinute = retriesPerMinute
        self.baselinePerMinute = baselinePerMinute
    }
}
