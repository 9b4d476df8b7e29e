import Monitor

/// A generated storm: messages in publish order, materialised on demand, and the truth to check against.
///
/// Deterministic: the same configuration gives the same messages, byte for byte, in any access order
/// (each message's random parts are derived from the seed and its index).
public struct Storm: Sendable {
    public let configuration: StormConfiguration
    public let truth: StormTruth
    /// Worker hostnames, and their main pids.
    public let hostnames: [String]
    let pids: [Int]
    let plans: [TaskPlan]
    /// Events in publish order; each message is a contiguous run.
    let events: [PlannedEvent]
    /// Start index in `events` of each message, plus a final end index.
    let messageStarts: [Int32]

    public var messageCount: Int { messageStarts.count - 1 }
    public var eventCount: Int { events.count }

    /// Events per message, in publish order.
    public func eventCount(ofMessage index: Int) -> Int {
        Int(messageStarts[index + 1] - messageStarts[index])
    }

    /// The message at `index` in publish order, with its events as they will decode.
    public func message(at index: Int) -> StormMessage {
        let range = Int(messageStarts[index])..<Int(messageStarts[index + 1])
        let first = events[range.lowerBound]
        var random = StormRandom(seed: configuration.seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15) ^ 0x5EED)
        let hostname = hostnames[Int(first.worker)]
        let batched = first.kind.isTaskEvent
        let routingKey = batched ? "task.multi" : String(first.kind.rawValue.map { $0 == "-" ? "." : $0 })
        return StormMessage(
            routingKey: routingKey, hostname: hostname, events: range.map { event(events[$0]) }, isArray: batched,
            deliveryTag: random.uuid())
    }

    /// Every message's events, in publish order (what a subscriber that lost nothing receives).
    public func allEvents() -> [CeleryEvent] {
        (0..<messageCount).flatMap { message(at: $0).events }
    }

    func epoch(_ micros: Int64) -> Double {
        // startEpoch is a wall-clock time the generator is given (about 1.8e9 s): far inside Int64 microseconds.
        Double(Int64((configuration.startEpoch * 1_000_000).rounded()) + micros) / 1_000_000
    }

    func event(_ planned: PlannedEvent) -> CeleryEvent {
        let worker = Int(planned.worker)
        var event = CeleryEvent(kind: planned.kind, hostname: hostnames[worker], timestamp: epoch(planned.time), clock: Int(planned.clock))
        event.pid = pids[worker]
        event.utcoffset = 0
        guard planned.task >= 0 else {
            event.freq = 2
            event.active = Int(planned.processed % 4)
            event.processed = Int(planned.processed)
            let load = Double(planned.processed % 300) / 100
            event.loadavg = [load, 0.38, 0.15]
            event.swIdent = "py-celery"
            event.swVersion = "5.7.0"
            event.swSystem = "Linux"
            return event
        }
        let plan = plans[Int(planned.task)]
        let attempt = Int(planned.attempt)
        event.taskID = plan.id
        switch planned.kind {
        case .taskReceived:
            event.name = StormGenerator.names[plan.kind]
            event.args = "(\(plan.detail), \(plan.detail % 977 * 100), 'EUR')"
            event.kwargs = "{'idempotency_key': 'ik-\(plan.detail)', 'priority': \(plan.detail % 3)}"
            event.rootID = plan.id
            event.parentID = attempt > 0 ? plan.id : nil
            event.retries = attempt
            event.eta = plan.eta[attempt].map { ISO8601.epoch(ISO8601.format(epoch($0))) ?? epoch($0) }
        case .taskSucceeded:
            event.result = "{'ok': True, 'id': \(plan.detail), 'attempts': \(attempt + 1)}"
            event.runtime = Double(plan.ended[attempt] - plan.started[attempt]) / 1_000_000
        case .taskFailed, .taskRetried:
            let countdown = planned.kind == .taskRetried ? min(8, 1 << min(attempt, 3)) : nil
            event.exception = ExceptionCorpus.exception(kind: plan.kind, detail: plan.detail)
            event.traceback = ExceptionCorpus.traceback(kind: plan.kind, detail: plan.detail, retryIn: countdown)
        default:
            break
        }
        return event
    }
}
