import ArgumentParser
import CeleryLink
import Foundation
import Monitor
import RedisLink

/// What to read at start about tasks that predate retrytop (issue 12): `unacked` and the result backend.
struct BackfillOptions: ParsableArguments {
    @OptionGroup var backend: ResultBackendOptions

    @Flag(name: .long, help: "Do not read unacked and the result backend at start; show only what happens from now on.")
    var noBackfill = false

    @Option(name: .long, help: "Result keys (and unacked entries) read at most at start.")
    var backfillLimit: Int = BackfillConfiguration.defaultLimit

    @Option(name: .long, help: "The broker's visibility_timeout in seconds (kombu's transport option): held tasks due later are flagged as 'will be redelivered and may run twice'.")
    var visibilityTimeout: Double = BackfillConfiguration.defaultVisibilityTimeout

    /// The reader for these options, or nil with `--no-backfill`.
    func makeReader(
        broker: BrokerURL, transport: TransportOptions, resultBackend: ResultBackendLocation, subscriber: EventSubscriber
    ) -> BackfillReader? {
        guard !noBackfill else { return nil }
        let configuration = BackfillConfiguration(
            broker: broker, transport: transport, resultBackend: resultBackend,
            limit: backfillLimit, visibilityTimeout: visibilityTimeout)
        return BackfillReader(
            configuration: configuration, clock: { Date().timeIntervalSince1970 },
            isSubscribed: { subscriber.connectionState.phase == .connected })
    }

    /// The status a run without backfill starts with: nothing read, watching from `now`.
    static func disabledStatus(now: Double) -> BackfillStatus {
        BackfillStatus(enabled: false, watchingSince: now)
    }
}
