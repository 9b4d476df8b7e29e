/// The CPU one process spent over a measured window, in total and per thread, with the events it
/// handled meanwhile (nil for an idle window).
///
/// Why: the efficiency rungs compare processes (retrytop's dashboard and snapshot, Celery's
/// EventReceiver + State) by CPU time, which stays meaningful on a shared machine where wall time does not.
public struct CPUMeasurement: Sendable, Codable, Equatable {
    /// What was measured ("retrytop dashboard 200x50", "Celery EventReceiver + State", …).
    public var subject: String
    /// Wall seconds between the two samples.
    public var windowSeconds: Double
    public var cpuSeconds: Double
    /// Events the subject folded in the window (published events for a peer that cannot say); nil when idle.
    public var events: Int?
    /// CPU seconds per thread name, largest first.
    public var threads: [ProcessCPU.ThreadTime]

    public init(subject: String, windowSeconds: Double, cpuSeconds: Double, events: Int?, threads: [ProcessCPU.ThreadTime]) {
        self.subject = subject
        self.windowSeconds = windowSeconds
        self.cpuSeconds = cpuSeconds
        self.events = events
        self.threads = threads
    }

    /// Between two samples of one process.
    public init(subject: String, from earlier: ProcessCPU, to later: ProcessCPU, windowSeconds: Double, events: Int?) {
        let threads = later.since(earlier)
        self.init(subject: subject, windowSeconds: windowSeconds, cpuSeconds: threads.reduce(0) { $0 + $1.seconds }, events: events, threads: threads)
    }

    /// Share of one core over the window (0.01 = 1%).
    public var coreShare: Double { windowSeconds > 0 ? cpuSeconds / windowSeconds : 0 }

    /// CPU microseconds per event, when events were handled.
    public var microsecondsPerEvent: Double? {
        guard let events, events > 0 else { return nil }
        return cpuSeconds * 1_000_000 / Double(events)
    }

    /// Microseconds per event of one thread name.
    public func microsecondsPerEvent(thread: ProcessCPU.ThreadTime) -> Double? {
        guard let events, events > 0 else { return nil }
        return thread.seconds * 1_000_000 / Double(events)
    }
}
