import Monitor
import RedisLink
import Threading

/// Publishes an encoded storm to Redis pub/sub at a target event rate, pipelined and paced.
///
/// Pacing: message i is due when the events before it, divided by the rate, have elapsed on the
/// monotonic clock; every due message is appended (up to `maxPipeline`) and then all replies are read,
/// so a slow round trip makes the next batch larger instead of lowering the rate. A rate of 0 means
/// as fast as possible. The receiver count of every PUBLISH is recorded (see `PublishReport`).
public final class FirehosePublisher {
    public let url: BrokerURL
    public let channels: EventChannels
    public var maxPipeline: Int

    public init(url: BrokerURL, channels: EventChannels, maxPipeline: Int = 512) {
        self.url = url
        self.channels = channels
        self.maxPipeline = maxPipeline
    }

    /// Publishes every message; `shouldStop` is polled between batches.
    public func publish(_ storm: EncodedStorm, rate: Double, shouldStop: () -> Bool = { false }) throws -> PublishReport {
        let connection = RedisConnection(url: url, timeouts: .init(connect: 2, io: 10))
        try connection.connect()
        defer { connection.close() }
        let channelBytes = storm.routingKeys.map { Array(channels.eventChannel(routingKey: $0).utf8) }
        let command = Array("PUBLISH".utf8)
        var report = PublishReport()
        report.targetRate = rate
        let start = MonotonicClock.now()
        var next = 0
        var eventsBefore = 0
        while next < storm.messageCount, !shouldStop() {
            let now = MonotonicClock.now()
            var due = next
            var dueEvents = eventsBefore
            while due < storm.messageCount, due - next < maxPipeline,
                  rate <= 0 || Double(dueEvents) / rate <= now - start {
                dueEvents += Int(storm.eventCounts[due])
                due += 1
            }
            if due == next {
                let wait = Double(dueEvents) / rate - (now - start)
                if wait > 0.000_2 { MonotonicClock.sleep(min(wait, 0.002)) }
                continue
            }
            if rate > 0 {
                report.maxLagSeconds = max(report.maxLagSeconds, now - start - Double(eventsBefore) / rate)
            }
            for index in next..<due {
                try connection.append([command, channelBytes[Int(storm.routes[index])], Array(storm.envelope(index))])
            }
            for index in next..<due {
                let reply = try connection.getReply()
                guard let receivers = reply.integer else {
                    throw RedisError.unexpectedReply("PUBLISH answered \(reply)")
                }
                report.note(receivers: Int(receivers), message: index)
            }
            report.batches += 1
            report.messages = due
            report.events = dueEvents
            next = due
            eventsBefore = dueEvents
        }
        report.seconds = MonotonicClock.now() - start
        if report.minReceivers == Int.max { report.minReceivers = 0 }
        return report
    }
}
