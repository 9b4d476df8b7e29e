import Monitor
import RedisLink

/// What backfill reads at start and how far (`--no-backfill`, `--backfill-limit`, `--visibility-timeout`,
/// `--result-backend`, the broker's `global_keyprefix`).
public struct BackfillConfiguration: Sendable {
    /// Result keys read at most (a day of failures of a busy deployment); `unacked` entries likewise.
    public static let defaultLimit = 100_000
    /// kombu's default `visibility_timeout` (seconds); retrytop cannot read the workers' setting.
    public static let defaultVisibilityTimeout = 3_600.0
    /// Keys asked per SCAN/HSCAN call (SPEC §9.6: COUNT 1000 is the fastest that never blocks Redis long).
    public static let scanCount = 1_000

    public var broker: BrokerURL
    /// kombu's `global_keyprefix`: prefixes `unacked` (not the result keys, SPEC §9.3).
    public var keyPrefix: String
    public var resultBackend: ResultBackendLocation
    public var limit: Int
    public var visibilityTimeout: Double
    /// How long to wait for the event subscription before reading anyway.
    public var subscribeWait: Double

    public init(
        broker: BrokerURL, keyPrefix: String = "", resultBackend: ResultBackendLocation, limit: Int = defaultLimit,
        visibilityTimeout: Double = defaultVisibilityTimeout, subscribeWait: Double = 5
    ) {
        self.broker = broker
        self.keyPrefix = keyPrefix
        self.resultBackend = resultBackend
        self.limit = max(1, limit)
        self.visibilityTimeout = visibilityTimeout
        self.subscribeWait = subscribeWait
    }
}
