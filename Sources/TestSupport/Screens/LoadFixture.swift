import Dashboard
import Monitor

/// A large model for frame-time benchmarks: `tasks` tasks across 40 names and 20 workers, a fifth of
/// them waiting in backoff, 2% running, the rest finished (mostly succeeded).
public enum LoadFixture {
    public static func monitor(tasks: Int = 100_000, now: Double = StormFixture.now) -> MonitorState {
        var monitor = MonitorState(limits: MonitorLimits(maxTasks: tasks + 1_000))
        var random = FixtureRandom(seed: 0xBE4C)
        var batch: [CeleryEvent] = []
        batch.reserveCapacity(8_192)
        for index in 0..<tasks {
            let id = "load-\(String(index, radix: 16).leftPadded(8))-0000-4000-8000-000000000000"
            let name = "tasks.load_\(index % 40)"
            let worker = "celery@load-\(index % 20)"
            let start = now - 600 + 600 * Double(index) / Double(tasks)
            var clock = index * 8
            func event(_ kind: EventKind, at time: Double, _ configure: (inout CeleryEvent) -> Void = { _ in }) {
                clock += 1
                var e = CeleryEvent(kind: kind, hostname: worker, timestamp: time, clock: clock)
                e.taskID = id
                configure(&e)
                batch.append(e)
            }
            event(.taskReceived, at: start) {
                $0.name = name
                $0.args = "(\(index),)"
                $0.kwargs = "{}"
                $0.retries = 0
            }
            event(.taskStarted, at: start + 0.001)
            switch index % 50 {
            case 0:
                break  // running
            case 1...10:
                event(.taskRetried, at: start + 0.2) { $0.exception = "HTTPError('429 Client Error: Too Many Requests')" }
                event(.taskReceived, at: start + 0.21) {
                    $0.name = name
                    $0.retries = 1
                    $0.eta = now + 1 + 300 * random.unit()
                }
            case 11:
                event(.taskFailed, at: start + 0.2) { $0.exception = "ValueError('bad input \(index % 7)')" }
            default:
                event(.taskSucceeded, at: start + 0.2) { $0.runtime = 0.2 }
            }
            if batch.count >= 8_000 {
                monitor.apply(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        monitor.apply(batch)
        for worker in 0..<20 {
            var e = CeleryEvent(kind: .workerHeartbeat, hostname: "celery@load-\(worker)", timestamp: now - 1, clock: 1)
            e.freq = 2
            e.active = 40
            monitor.apply(e)
        }
        return monitor
    }

    /// A link connected for ten minutes before `now`.
    public static func link(now: Double) -> LinkStatus {
        LinkStatus(connection: ConnectionState(phase: .connected, since: now - 600, redactedURL: "redis://localhost:6379/0"))
    }
}
