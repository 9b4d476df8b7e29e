import Monitor
import Runtime

/// A fake `EventSource`: hands out scripted updates one per poll and records when it was polled.
///
/// Bound: the script is the test's; once it is used up every poll returns an empty update (with
/// `finished` set when `finishesWhenEmpty`).
public final class ScriptedEventSource: EventSource {
    /// Updates still to hand out, first to the next poll.
    public var script: [SourceUpdate]
    public let finishesWhenEmpty: Bool
    private let clock: () -> Double
    /// The clock's time at every poll (one per frame).
    public private(set) var polledAt: [Double] = []
    public private(set) var started = false
    public private(set) var stopped = false

    public init(script: [SourceUpdate] = [], finishesWhenEmpty: Bool = false, clock: @escaping () -> Double) {
        self.script = script
        self.finishesWhenEmpty = finishesWhenEmpty
        self.clock = clock
    }

    public func start() { started = true }

    public func stop() { stopped = true }

    public func poll() -> SourceUpdate {
        polledAt.append(clock())
        guard !script.isEmpty else {
            var update = SourceUpdate()
            update.finished = finishesWhenEmpty
            return update
        }
        return script.removeFirst()
    }
}
