/// The subset of Celery's `broker_transport_options` that changes Redis key and channel names.
///
/// Why: a worker configured with a non-default `fanout_prefix`, `fanout_patterns` or
/// `global_keyprefix` publishes on other channels and uses other keys; the monitor must use the same
/// options or it sees nothing (`docs/celery-wire.md`, "Event channels"). Defaults match kombu 5.7.
public struct TransportOptions: Sendable, Equatable {
    /// kombu's `fanout_prefix`: `true` (default) gives `/{db}.`, `false` gives no prefix, a string is used
    /// as is (with `{db}` replaced by the database number, as kombu formats it).
    public enum FanoutPrefix: Sendable, Equatable {
        case enabled
        case disabled
        case custom(String)
    }

    public var fanoutPrefix: FanoutPrefix
    /// kombu's `fanout_patterns`: when true (default) the routing key is part of the channel name.
    public var fanoutPatterns: Bool
    /// kombu's `global_keyprefix`: prepended to every key and channel; empty by default.
    public var globalKeyprefix: String

    public init(fanoutPrefix: FanoutPrefix = .enabled, fanoutPatterns: Bool = true, globalKeyprefix: String = "") {
        self.fanoutPrefix = fanoutPrefix
        self.fanoutPatterns = fanoutPatterns
        self.globalKeyprefix = globalKeyprefix
    }

    public static let `default` = TransportOptions()
}
