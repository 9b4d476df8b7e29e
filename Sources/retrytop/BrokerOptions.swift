import ArgumentParser
import Foundation
import Monitor
import RedisLink
import Runtime

/// Where the broker is and how Celery names its channels (kombu's transport options).
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Broker URL: redis://[user:password@]host[:port][/db] or unix:///path?db=N. Default: $CELERY_BROKER_URL, else redis://localhost:6379/0.")
    var broker: String?

    @Option(name: .long, help: "kombu fanout_prefix: 'true' (default, /{db}.), 'false', or a custom prefix.")
    var fanoutPrefix: String = "true"

    @Flag(name: .long, help: "kombu fanout_patterns=False: events arrive on one channel without the routing key.")
    var noFanoutPatterns = false

    @Option(name: .long, help: "kombu global_keyprefix, prepended to keys and channels.")
    var globalKeyprefix: String = ""

    @Option(name: .long, help: "Tasks tracked before finished ones are evicted.")
    var maxTasks: Int = 100_000

    var transportOptions: TransportOptions {
        let prefix: TransportOptions.FanoutPrefix = switch fanoutPrefix.lowercased() {
        case "true", "1", "yes": .enabled
        case "false", "0", "no", "": .disabled
        default: .custom(fanoutPrefix)
        }
        return TransportOptions(fanoutPrefix: prefix, fanoutPatterns: !noFanoutPatterns, globalKeyprefix: globalKeyprefix)
    }

    var limits: MonitorLimits { MonitorLimits(maxTasks: max(100, maxTasks)) }

    /// The broker URL, or a clear error naming what is supported.
    func resolvedURL() throws -> BrokerURL {
        do {
            return try BrokerURL.resolve(broker: broker, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw UsageError(message: "\(error)")
        }
    }

    /// The ingest pipeline for these options (not started); its subscriber knows the URL and pattern.
    func makePipeline() throws -> IngestPipeline {
        let configuration = EventSubscriber.Configuration(url: try resolvedURL(), options: transportOptions)
        return IngestPipeline(subscriber: EventSubscriber(configuration: configuration))
    }
}

/// A mistake in what the user asked for, shown as one clear line without the usage text.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
