import Monitor

/// Builds Celery events in tests with the fields a real worker would send.
public struct EventBuilder: Sendable {
    public var worker: String
    public var clock: Int
    public var time: Double

    public init(worker: String = "w1@vm", clock: Int = 0, time: Double = 1_795_696_000) {
        self.worker = worker
        self.clock = clock
        self.time = time
    }

    /// The next event from this worker: its clock ticks and time moves on by `after` seconds.
    public mutating func make(_ kind: EventKind, _ id: String?, after: Double = 0.01, _ configure: (inout CeleryEvent) -> Void = { _ in }) -> CeleryEvent {
        clock += 1
        time += after
        var event = CeleryEvent(kind: kind, hostname: worker, timestamp: time, clock: clock)
        event.taskID = id
        configure(&event)
        return event
    }

    public mutating func received(_ id: String, name: String = "app.flaky", retries: Int = 0, eta: Double? = nil, args: String = "(7,)") -> CeleryEvent {
        make(.taskReceived, id) {
            $0.name = name
            $0.retries = retries
            $0.eta = eta
            $0.args = args
            $0.kwargs = "{}"
        }
    }

    public mutating func started(_ id: String, after: Double = 0.01) -> CeleryEvent { make(.taskStarted, id, after: after) }

    public mutating func retried(_ id: String, _ exception: String = "ConnectionError('boom')", after: Double = 0.2) -> CeleryEvent {
        make(.taskRetried, id, after: after) {
            $0.exception = exception
            $0.traceback = "Traceback (most recent call last):\n  File \"/srv/app.py\", line 1\n\(exception)\n"
        }
    }

    public mutating func succeeded(_ id: String, after: Double = 0.2) -> CeleryEvent {
        make(.taskSucceeded, id, after: after) {
            $0.result = "42"
            $0.runtime = after
        }
    }

    public mutating func failed(_ id: String, _ exception: String = "ValueError('permanent')", after: Double = 0.2) -> CeleryEvent {
        make(.taskFailed, id, after: after) {
            $0.exception = exception
            $0.traceback = "Traceback (most recent call last):\n\(exception)\n"
        }
    }

    public mutating func heartbeat(active: Int = 0, processed: Int = 0, after: Double = 2) -> CeleryEvent {
        make(.workerHeartbeat, nil, after: after) {
            $0.freq = 2
            $0.active = active
            $0.processed = processed
            $0.loadavg = [0.1, 0.2, 0.3]
        }
    }
}
