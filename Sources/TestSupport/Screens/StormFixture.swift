import Actions
import Dashboard
import Monitor

/// A deterministic retry storm for golden screens and dashboard tests, built with `EventBuilder`.
///
/// Fifteen minutes of a small deployment (three workers, one gone offline) running five task names
/// the way the retry guide's examples do; in the last minute `tasks.fetch_api_data` storms (HTTP 429s
/// and read timeouts with exponential backoff). Ids come from a seeded generator and times from
/// `start`, so every run renders the same screens. Events later than `now` are not emitted: tasks
/// whose next attempt is after `now` are caught in backoff, and long attempts are caught running.
public enum StormFixture {
    /// 12:26:40 UTC.
    public static let start: Double = 1_795_696_000
    /// 12:41:40 UTC: where the fixture's clock stands.
    public static let now: Double = start + 900
    public static let workers = ["celery@api-1", "celery@api-2", "celery@api-3"]
    public static let apiURL = "http://127.0.0.1:8765/data"

    public static let http429 = "HTTPError('429 Client Error: Too Many Requests for url: \(apiURL)')"
    public static let http503 = "HTTPError('503 Server Error: Service Unavailable for url: http://127.0.0.1:8765/limited')"
    public static let timeout = "Timeout('read timed out (30s)')"
    public static let coinFlip = "RuntimeError('unreliable: coin flip failed')"
    public static let badLiteral = "ValueError(\"invalid literal for int() with base 10: 'abc'\")"

    /// The task shown in the detail screen: three attempts done, the fourth due at `now + 2`.
    public static var detailTaskID: String { ids(1)[0] }

    /// The first `count` fixture ids, in creation order.
    public static func ids(_ count: Int) -> [String] {
        var random = FixtureRandom(seed: 0x5EED)
        return (0..<count).map { _ in random.uuid() }
    }

    /// The retry policies workers would report for the fixture's tasks.
    public static let policies: [String: RetryPolicy] = [
        "tasks.fetch_api_data": RetryPolicy(maxRetries: 5, retryBackoff: 1, retryBackoffMax: 60, retryJitter: true,
                                            autoretryFor: ["requests.exceptions.HTTPError", "requests.exceptions.Timeout"]),
        "tasks.quick_retry": RetryPolicy(maxRetries: 3, defaultRetryDelay: 1, retryJitter: false),
        "tasks.rate_limited_task": RetryPolicy(maxRetries: 10, defaultRetryDelay: 300, retryJitter: false, rateLimit: "10/m"),
        "tasks.unreliable": RetryPolicy(maxRetries: 3, defaultRetryDelay: 5, retryJitter: false),
        "tasks.permanent_failure": RetryPolicy(maxRetries: 2, defaultRetryDelay: 2, retryJitter: false),
    ]

    /// The storm's events in arrival order.
    public static func events() -> [CeleryEvent] {
        var script = Script(seed: 0x5EED)
        script.workersOnline()
        // The task the detail screen shows.
        script.task("tasks.fetch_api_data", at: 860.0, args: "('\(apiURL)',)", kwargs: "{'timeout': 30}", queue: "api", steps: [
            .retry(exception: timeout, runtime: 30.0, backoff: 0.998),
            .retry(exception: http429, runtime: 0.412, backoff: 1.985),
            .retry(exception: http429, runtime: 0.318, backoff: 8.27),
            .succeed(runtime: 0.2),
        ], firstWorker: 0)
        // A long report and a slow fetch running at `now`.
        script.task("tasks.generate_report", at: 770.0, args: "('2026-11-25', 'eu-west')", kwargs: "{'format': 'pdf'}", queue: "reports",
                    steps: [.succeed(runtime: 400)], firstWorker: 1)
        // Baseline: about one retry a minute for fetch_api_data.
        for minute in 0..<13 {
            let t = 10.0 + Double(minute) * 60 + script.jitter(5)
            script.task("tasks.fetch_api_data", at: t, args: "('\(apiURL)',)", kwargs: "{'timeout': 30}", queue: "api",
                        steps: [.retry(exception: http429, runtime: 0.3, backoff: 1.0 + script.jitter(1)), .succeed(runtime: 0.25)])
        }
        // The storm: from 14:00 the API answers 429 and times out; backoff doubles with jitter.
        for index in 0..<34 {
            let t = 842.0 + Double(index) * 1.7
            var steps: [StormStep] = []
            for retry in 0..<5 {
                let slow = (index + retry) % 7 == 3
                let backoff = min(60, pow2(retry)) * (0.55 + 0.45 * script.random.unit())
                steps.append(.retry(exception: slow ? timeout : http429, runtime: slow ? 30.0 : 0.2 + 0.3 * script.random.unit(), backoff: backoff))
            }
            steps.append(.fail(exception: http429, runtime: 0.3))
            script.task("tasks.fetch_api_data", at: t, args: "('\(apiURL)?page=\(index + 2)',)", kwargs: "{'timeout': 30}", queue: "api", steps: steps)
        }
        // Steady fast retries.
        for index in 0..<44 {
            let t = 5.0 + Double(index) * 20 + script.jitter(3)
            script.task("tasks.quick_retry", at: t, args: "(\(index),)", kwargs: "{}", queue: "celery",
                        steps: [.retry(exception: "ConnectionError('flaky upstream, attempt 0')", runtime: 0.05, backoff: 1.0), .succeed(runtime: 0.04)])
        }
        // Slow fixed-delay retries behind a rate-limited endpoint.
        for index in 0..<10 {
            let t = 20.0 + Double(index) * 90
            script.task("tasks.rate_limited_task", at: t, args: "(\(100 + index),)", kwargs: "{'region': 'eu'}", queue: "limited",
                        steps: Array(repeating: .retry(exception: http503, runtime: 0.15, backoff: 300), count: 4) + [.succeed(runtime: 0.1)])
        }
        // A 50% unreliable task.
        for index in 0..<58 {
            let t = 12.0 + Double(index) * 15 + script.jitter(2)
            let flips = index % 2 == 0 ? 1 : (index % 5 == 0 ? 2 : 0)
            let steps: [StormStep] = Array(repeating: .retry(exception: coinFlip, runtime: 0.08, backoff: 5), count: flips) + [.succeed(runtime: 0.07)]
            script.task("tasks.unreliable", at: t, args: "(\(index), 0.5)", kwargs: "{}", queue: "celery", steps: steps)
        }
        // Tasks that can never succeed.
        for index in 0..<7 {
            let t = 60.0 + Double(index) * 120
            script.task("tasks.permanent_failure", at: t, args: "('abc',)", kwargs: "{}", queue: "celery", steps: [
                .retry(exception: badLiteral, runtime: 0.01, backoff: 2), .retry(exception: badLiteral, runtime: 0.01, backoff: 2),
                .fail(exception: badLiteral, runtime: 0.01),
            ])
        }
        script.revokeWaiting(name: "tasks.rate_limited_task", at: 600)
        return script.finish(until: now)
    }

    /// A steady deployment: the same names at constant rates for fifteen minutes, no storm.
    public static func steadyEvents() -> [CeleryEvent] {
        var script = Script(seed: 0xC0FFEE)
        script.workersOnline()
        for index in 0..<180 {
            let t = 2.0 + Double(index) * 5
            script.task("tasks.fetch_api_data", at: t, args: "('\(apiURL)',)", kwargs: "{}", queue: "api",
                        steps: index % 2 == 0 ? [.retry(exception: http429, runtime: 0.2, backoff: 2), .succeed(runtime: 0.2)] : [.succeed(runtime: 0.2)])
        }
        for index in 0..<90 {
            script.task("tasks.quick_retry", at: 3.0 + Double(index) * 10, args: "(\(index),)", kwargs: "{}", queue: "celery",
                        steps: [.retry(exception: "ConnectionError('flaky')", runtime: 0.05, backoff: 1), .succeed(runtime: 0.05)])
        }
        return script.finish(until: now)
    }

    /// The folded storm.
    public static func monitor() -> MonitorState {
        var monitor = MonitorState()
        monitor.apply(events())
        return monitor
    }

    /// The link of a real deployment, connected since before the storm.
    public static func link() -> LinkStatus {
        LinkStatus(connection: ConnectionState(
            phase: .connected, since: start - 30, redactedURL: "redis://:***@10.0.0.5:6379/0", pattern: "/0.celeryev/*"))
    }

    /// The dashboard on the storm at `now`, `width`×`height`, with worker policies known.
    public static func appState(width: Int = 120, height: Int = 36, readOnly: Bool = false, policiesKnown: Bool = true) -> AppState {
        var state = AppState(monitor: monitor(), link: link(), width: width, height: height, now: now, readOnly: readOnly)
        if policiesKnown { _ = update(&state, .commandFinished(.policies(policies))) }
        _ = update(&state, .tick(now: now + AppState.statusSeconds + 1))
        _ = update(&state, .tick(now: now))
        return state
    }

    static func pow2(_ n: Int) -> Double { Double(1 << n) }

    /// Builds events task by task, then sorts them by time and numbers each worker's clock.
    struct Script {
        var random: FixtureRandom
        var ids = FixtureRandom(seed: 0x5EED)
        var events: [CeleryEvent] = []
        var workerCursor = 0
        var waiting: [(id: String, name: String, due: Double)] = []

        init(seed: UInt64) {
            random = FixtureRandom(seed: seed)
        }

        mutating func jitter(_ amount: Double) -> Double { (random.unit() * 2 - 1) * amount }

        func builder(_ worker: String, at time: Double) -> EventBuilder {
            EventBuilder(worker: worker, clock: 0, time: StormFixture.start + time)
        }

        mutating func emit(_ kind: EventKind, _ id: String?, worker: String, at time: Double, _ configure: (inout CeleryEvent) -> Void = { _ in }) {
            var b = builder(worker, at: time)
            events.append(b.make(kind, id, after: 0, configure))
        }

        /// Workers 1 and 2 stay up; worker 3 heartbeats until 11:40 in and then says goodbye.
        mutating func workersOnline() {
            for (index, worker) in StormFixture.workers.enumerated() {
                let last = index == 2 ? 700.0 : 899.0
                emit(.workerOnline, nil, worker: worker, at: 0.5 + Double(index)) {
                    $0.freq = 2
                    $0.swIdent = "py-celery"
                    $0.swVersion = "5.5.3"
                    $0.pid = 4100 + index
                }
                var t = 2.5 + Double(index) * 0.3
                var processed = 0
                while t <= last {
                    processed += 3
                    let done = processed
                    emit(.workerHeartbeat, nil, worker: worker, at: t) {
                        $0.freq = 2
                        $0.active = index == 2 ? 0 : 2
                        $0.processed = done
                        $0.loadavg = [0.42, 0.38, 0.31]
                    }
                    t += 2
                }
                if index == 2 { emit(.workerOffline, nil, worker: worker, at: 702.2) { $0.freq = 2 } }
            }
        }

        /// The worker for the next attempt: round robin over the workers alive at `time`.
        mutating func nextWorker(at time: Double) -> String {
            let alive = time < 700 ? StormFixture.workers : Array(StormFixture.workers.prefix(2))
            workerCursor += 1
            return alive[workerCursor % alive.count]
        }

        mutating func task(_ name: String, at t0: Double, args: String, kwargs: String, queue: String, steps: [StormStep], firstWorker: Int? = nil) {
            let id = ids.uuid()
            emit(.taskSent, id, worker: "producer@app-1", at: t0 - 0.004) {
                $0.name = name
                $0.args = args
                $0.kwargs = kwargs
                $0.queue = queue
                $0.routingKey = queue
                $0.exchange = ""
                $0.retries = 0
                $0.rootID = id
            }
            var due = t0
            var worker = firstWorker.map { StormFixture.workers[$0] } ?? nextWorker(at: t0)
            var received = t0
            for (number, step) in steps.enumerated() {
                let eta: Double? = number == 0 ? nil : StormFixture.start + due
                let attemptWorker = worker
                emit(.taskReceived, id, worker: attemptWorker, at: received) {
                    $0.name = name
                    $0.args = args
                    $0.kwargs = kwargs
                    $0.retries = number
                    $0.eta = eta
                    $0.rootID = id
                }
                if due > StormFixture.now - StormFixture.start { waiting.append((id, name, due)) }
                let started = due + 0.003
                emit(.taskStarted, id, worker: attemptWorker, at: started)
                switch step {
                case .retry(let exception, let runtime, let backoff):
                    emit(.taskRetried, id, worker: attemptWorker, at: started + runtime) {
                        $0.exception = exception
                        $0.traceback = StormFixture.traceback(name: name, exception: exception, retryIn: backoff)
                    }
                    worker = nextWorker(at: started + runtime)
                    received = started + runtime + 0.004
                    due = started + runtime + backoff
                case .succeed(let runtime):
                    emit(.taskSucceeded, id, worker: attemptWorker, at: started + runtime) {
                        $0.result = "None"
                        $0.runtime = runtime
                    }
                    return
                case .fail(let exception, let runtime):
                    emit(.taskFailed, id, worker: attemptWorker, at: started + runtime) {
                        $0.exception = exception
                        $0.traceback = StormFixture.traceback(name: name, exception: exception, retryIn: nil)
                    }
                    return
                }
            }
        }

        /// Revokes the first task of `name` that is waiting in backoff at `time`.
        mutating func revokeWaiting(name: String, at time: Double) {
            let received = Dictionary(grouping: events.filter { $0.kind == .taskReceived && $0.name == name }, by: { $0.taskID ?? "" })
            for (id, attempts) in received.sorted(by: { $0.key < $1.key }) {
                guard let last = attempts.max(by: { $0.timestamp < $1.timestamp }), let eta = last.eta,
                      last.timestamp < StormFixture.start + time, eta > StormFixture.start + time else { continue }
                emit(.taskRevoked, id, worker: last.hostname, at: time) { $0.terminated = false }
                events.removeAll { $0.taskID == id && $0.timestamp > StormFixture.start + time && $0.kind != .taskRevoked }
                return
            }
        }

        /// The events up to `until`, in time order, with per-worker logical clocks.
        mutating func finish(until: Double) -> [CeleryEvent] {
            var kept = events.enumerated().filter { $0.element.timestamp <= until }
            kept.sort { $0.element.timestamp != $1.element.timestamp ? $0.element.timestamp < $1.element.timestamp : $0.offset < $1.offset }
            var clocks: [String: Int] = [:]
            return kept.map { entry in
                var event = entry.element
                clocks[event.hostname, default: 0] += 1
                event.clock = clocks[event.hostname] ?? 0
                return event
            }
        }
    }

    /// A traceback as Celery sends it for `exception` raised in `name` (wrapped in Retry when retrying).
    static func traceback(name: String, exception: String, retryIn: Double?) -> String {
        let function = name.split(separator: ".").last.map(String.init) ?? name
        let site = "/srv/venv/lib/python3.12/site-packages"
        let type = ExceptionFingerprint.typeName(of: exception)
        let message = ExceptionText.short(exception).dropFirst(type.count + 2)
        let qualified: String = switch type {
        case "HTTPError": "requests.exceptions.HTTPError"
        case "Timeout": "requests.exceptions.Timeout"
        default: type
        }
        var lines = ["Traceback (most recent call last):"]
        if retryIn != nil {
            lines += [
                "  File \"\(site)/celery/app/autoretry.py\", line 38, in run",
                "    return task._orig_run(*args, **kwargs)",
                "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            ]
        } else {
            lines += [
                "  File \"\(site)/celery/app/trace.py\", line 453, in trace_task",
                "    R = retval = fun(*args, **kwargs)",
                "                 ^^^^^^^^^^^^^^^^^^^^",
            ]
        }
        switch type {
        case "HTTPError":
            lines += [
                "  File \"/srv/app/tasks.py\", line 27, in \(function)",
                "    response.raise_for_status()",
                "  File \"\(site)/requests/models.py\", line 1024, in raise_for_status",
                "    raise HTTPError(http_error_msg, response=self)",
            ]
        case "Timeout":
            lines += [
                "  File \"/srv/app/tasks.py\", line 25, in \(function)",
                "    response = session.get(url, timeout=timeout)",
                "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"\(site)/requests/adapters.py\", line 713, in send",
                "    raise ReadTimeout(e, request=request)",
            ]
        default:
            lines += [
                "  File \"/srv/app/tasks.py\", line 58, in \(function)",
                "    raise \(exception)",
            ]
        }
        lines.append("\(qualified): \(message)")
        if let retryIn {
            lines += [
                "",
                "During handling of the above exception, another exception occurred:",
                "",
                "Traceback (most recent call last):",
                "  File \"\(site)/celery/app/trace.py\", line 453, in trace_task",
                "    R = retval = fun(*args, **kwargs)",
                "                 ^^^^^^^^^^^^^^^^^^^^",
                "  File \"\(site)/celery/app/trace.py\", line 736, in __protected_call__",
                "    return self.run(*args, **kwargs)",
                "           ^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"\(site)/celery/app/autoretry.py\", line 60, in run",
                "    ret = task.retry(exc=exc, **retry_kwargs_for_attempt)",
                "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"\(site)/celery/app/task.py\", line 963, in retry",
                "    raise ret",
                "celery.exceptions.Retry: Retry in \(Int(retryIn.rounded()))s: \(exception)",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
