import Foundation
import Monitor
import RedisLink
import CeleryLink

/// Subscribes and backfills for a headless command, folding into one model: `snapshot` listens for a
/// while and prints it, `revoke --name` listens to find its targets and keeps listening for the outcome.
///
/// Why: both commands must see the same tasks the dashboard would (the event stream plus the start-up
/// backfill's sources) and fail the same way when they never connected (exit 69/76/77/78, one stderr
/// line). Subscribes first, then backfills, so nothing that happens meanwhile is missed.
final class HeadlessListener {
    private(set) var state: MonitorState
    private(set) var link = LinkStatus()
    private let pipeline: IngestPipeline
    private let reader: BackfillReader?
    private var first = FirstConnection()

    init(options: BrokerOptions, backfill: BackfillOptions) throws {
        let resultBackend = try backfill.backend.location(broker: options)
        backfill.backend.warnAboutArgvPassword(resultBackend)
        pipeline = try options.makePipeline(resultBackend: resultBackend)
        state = MonitorState(limits: options.limits)
        reader = backfill.makeReader(
            broker: pipeline.subscriber.configuration.url, transport: options.transportOptions, resultBackend: resultBackend,
            subscriber: pipeline.subscriber)
        link.backfill = reader?.currentStatus ?? BackfillOptions.disabledStatus(now: Date().timeIntervalSince1970)
    }

    /// The broker the listener subscribes to (after `--broker-file` and environment).
    var brokerURL: BrokerURL { pipeline.subscriber.configuration.url }

    /// Lets the command fill the model before listening starts (the journal's history).
    func preload(_ body: (inout MonitorState, inout LinkStatus) throws -> Void) rethrows {
        try body(&state, &link)
    }

    func start() {
        pipeline.start()
        reader?.start()
    }

    /// Microseconds between two folds: nothing is drawn, so a fifth of a second costs no one anything,
    /// and the larger batches fold with warmer caches (at 2,000 events/s the main thread went from about
    /// 3.5 to 2.4–3.0 µs/event against folding every 50 ms, `retrytop bench --only lowrate`, A/B).
    static let foldInterval: UInt32 = 200_000

    /// Folds events and backfill until `deadline`, and past it while backfill runs, until `backfillDeadline`.
    /// Throws the never-connected exit as soon as the first connection attempt says why it failed.
    /// Returns early once `shouldStop` says so (a signal).
    func pump(until deadline: Date, backfillDeadline: Date, shouldStop: () -> Bool = { false }) throws {
        while !shouldStop(), Date() < deadline || (!link.backfill.isFinished && Date() < backfillDeadline) {
            usleep(Self.foldInterval)
            pipeline.drain(into: &state, link: &link)
            if let verdict = first.observe(link.connection) {
                reader?.stop()
                pipeline.stop()
                throw FirstConnection.fail(verdict)
            }
            mergeBackfill()
        }
    }

    /// Stops both readers and folds what they still held; backfill still running is marked cut. Throws
    /// the never-connected exit when the subscriber never connected in all that time.
    /// `waited`: the seconds the command was asked to listen, for the message.
    func finish(waited: Double) throws {
        reader?.stop()
        pipeline.drain(into: &state, link: &link)
        mergeBackfill()
        link.backfill.cut()
        let connection = link.connection
        pipeline.stop()
        if let verdict = first.atDeadline(connection, waited: waited) { throw FirstConnection.fail(verdict) }
        pipeline.drain(into: &state, link: &link)
        link.connection = connection
    }

    private func mergeBackfill() {
        guard let delivery = reader?.take() else { return }
        if let status = delivery.status { link.backfill = status }
        if let queues = delivery.queues { link.queues = queues }
        if !delivery.tasks.isEmpty { state.mergeBackfill(delivery.tasks) }
    }
}
