import Firehose
import Foundation
import Monitor
import RedisLink
import TestSupport

/// Publishes Celery events on a real Redis exactly as workers and producers do, for end-to-end tests
/// that need more events, or stranger text, than a real worker can be made to send.
///
/// The envelopes come from Firehose's `EnvelopeEncoder` (Celery 5.7's field order, `json.dumps`
/// escaping, base64 body inside kombu's envelope); the grouping follows `docs/celery-wire.md`, "Event batches and fields": a worker's task events
/// go out on `task.multi` as arrays of at most 24 (Celery's `buffer_limit`), while `task-sent` and
/// worker events are single objects on `task.sent` and `worker.<kind>`. Publishing is pipelined in
/// rounds of at most 512 commands (encoded up front for floods), and every PUBLISH's receiver count is kept, so a test can tell that
/// the subscriber heard everything.
struct CeleryEventPublisher {
    /// Celery's event buffer limit: the most task events a worker puts in one `task.multi` message.
    static let batchLimit = 24

    let connection: RedisConnection
    let channelPrefix: String

    /// A connected publisher on `url`'s db (events go to `/<db>.celeryev/<routing key>`).
    init(url: String) throws {
        let broker = try BrokerURL(parsing: url)
        connection = RedisConnection(url: broker, timeouts: .init(connect: 2, io: 10))
        try connection.connect()
        channelPrefix = "/\(broker.db).celeryev/"
    }

    func close() { connection.close() }

    /// The messages a worker sends for its task events, in order: `task.multi` arrays of at most 24.
    static func workerMessages(_ events: [CeleryEvent]) -> [StormMessage] {
        stride(from: 0, to: events.count, by: batchLimit).map { start in
            let batch = Array(events[start..<min(start + batchLimit, events.count)])
            return StormMessage(routingKey: "task.multi", hostname: batch[0].hostname, events: batch, isArray: true, deliveryTag: tag())
        }
    }

    /// One single-object message per event: `task-sent` from a producer, or a worker event.
    static func singleMessages(_ events: [CeleryEvent]) -> [StormMessage] {
        events.map { event in
            let routingKey = event.kind == .taskSent ? "task.sent" : "worker.\(event.kind.rawValue.dropFirst("worker-".count))"
            return StormMessage(routingKey: routingKey, hostname: event.hostname, events: [event], isArray: false, deliveryTag: tag())
        }
    }

    static func tag() -> String { UUID().uuidString.lowercased() }

    /// Waits until some client holds a pattern subscription (retrytop's `PSUBSCRIBE /<db>.celeryev/*`).
    func waitForSubscriber(timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while (try connection.command(["PUBSUB", "NUMPAT"]).checked().integer ?? 0) < 1 {
            guard Date() < deadline else { throw HarnessError("no pattern subscriber after \(timeout) s") }
            usleep(50_000)
        }
    }

    /// The PUBLISH commands for `messages`, encoded up front so that publishing a flood is not slowed
    /// by encoding it.
    func commands(_ messages: [StormMessage]) -> [[[UInt8]]] {
        let publish = Array("PUBLISH".utf8)
        return messages.map { [publish, Array((channelPrefix + $0.routingKey).utf8), EnvelopeEncoder.envelope($0)] }
    }

    /// Sends PUBLISH commands from `commands(_:)`, pipelined; returns the fewest receivers any reached.
    @discardableResult
    func publish(_ commands: [[[UInt8]]]) throws -> Int {
        var fewest = Int.max
        for start in stride(from: 0, to: commands.count, by: 512) {
            let round = commands[start..<min(start + 512, commands.count)]
            for command in round { try connection.append(command) }
            for _ in round {
                let receivers = try connection.getReply().checked().integer ?? -1
                fewest = min(fewest, Int(receivers))
            }
        }
        return commands.isEmpty ? 0 : fewest
    }

    /// Encodes and publishes `messages`; returns the fewest receivers any PUBLISH reached.
    @discardableResult
    func publish(_ messages: [StormMessage]) throws -> Int {
        try publish(commands(messages))
    }
}
