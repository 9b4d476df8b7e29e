import Monitor
import RedisLink

/// What backfill reads at start and how far (`--no-backfill`, `--backfill-limit`, `--visibility-timeout`,
/// `--result-backend`, the broker's `global_keyprefix`).
public struct BackfillConfiguration: Sendable {
    /// Result keys read at most (a day of failures of a busy deployment); `unacked` entries likewise.
    public static let defaultLimit = 100_000
    /// kombu's default `visibility_timeout` (seconds); retrytop cannot read the workers' setting.
    public static let defaultVisibilityTimeout = 3_600.0
    /// Keys asked per SCAN/HSCAN call (`docs/celery-wire.md`, "Backfill: what a late starter can read": COUNT 1000 is the fastest that never blocks Redis long).
    public static let scanCount = 1_000

    /// Seconds each inspect round trip waits for replies (Celery's default is 1 s).
    public static let defaultInspectTimeout = 1.0
    /// Seconds between two reads of the queue lengths while retrytop runs (`LLEN` only).
    public static let defaultQueueRefresh = 2.0

    public var broker: BrokerURL
    /// kombu's transport options: `global_keyprefix` prefixes `unacked`, the queue lists, the bindings and
    /// the pidbox channel (not the result keys, `docs/celery-wire.md`, "Backfill: what a late starter can read").
    public var transport: TransportOptions
    public var resultBackend: ResultBackendLocation
    /// Keys read at most per source: result keys, `unacked` entries, queued messages.
    public var limit: Int
    public var visibilityTimeout: Double
    /// How long to wait for the event subscription before reading anyway.
    public var subscribeWait: Double
    /// Per inspect method; 0 skips the inspect source.
    public var inspectTimeout: Double
    /// Seconds between queue-length refreshes; 0 reads them once.
    public var queueRefresh: Double

    public init(
        broker: BrokerURL, transport: TransportOptions = .default, resultBackend: ResultBackendLocation, limit: Int = defaultLimit,
        visibilityTimeout: Double = defaultVisibilityTimeout, subscribeWait: Double = 5,
        inspectTimeout: Double = defaultInspectTimeout, queueRefresh: Double = defaultQueueRefresh
    ) {
        self.broker = broker
        self.transport = transport
        self.resultBackend = resultBackend
        self.limit = max(1, limit)
        self.visibilityTimeout = visibilityTimeout
        self.subscribeWait = subscribeWait
        self.inspectTimeout = max(0, inspectTimeout)
        self.queueRefresh = max(0, queueRefresh)
    }

    /// kombu's `global_keyprefix`.
    public var keyPrefix: String { transport.globalKeyprefix }
}
