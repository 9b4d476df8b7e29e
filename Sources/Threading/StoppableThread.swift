import Foundation

/// A background thread that can be asked to stop, woken from its waits, and joined.
///
/// Why one type: the journal writer, the journal follower, the decode thread and the sentinel watch each
/// hand-rolled a stop flag and a join (a semaphore or a condition), and two of them a sleep that polled
/// the flag every 20 ms, which kept an idle process waking 50 times a second. Here a body sleeps on one condition until its own deadline, and
/// `wake()` (new work) or `requestStop()` ends the sleep at once.
///
/// Invariants: the body runs at most once, on its own thread; a wake is never lost (one given while the
/// body is busy ends its next `wait` at once); after `requestStop()` every `wait` returns false without
/// sleeping; `join()` returns once the body has returned, or at once when it never started. `join()` and
/// `stop()` must not be called from the body itself (it would wait for itself).
public final class StoppableThread: @unchecked Sendable {
    private enum Phase { case notStarted, running, finished }

    public let name: String
    private let condition = NSCondition()
    private var phase = Phase.notStarted
    private var stopRequested = false
    private var woken = false

    public init(name: String) {
        self.name = name
    }

    /// Runs `body` on a new thread (once: later calls, or a call after `requestStop()`, do nothing), its
    /// priority `lowerPriorityBy` nice values below the starting thread's (see `ThreadPriority`).
    public func start(
        qualityOfService: QualityOfService = .default, lowerPriorityBy steps: Int = 0,
        _ body: @escaping @Sendable (StoppableThread) -> Void
    ) {
        condition.lock()
        defer { condition.unlock() }
        guard phase == .notStarted, !stopRequested else { return }
        phase = .running
        let thread = Thread { [self] in
            ThreadName.set(name)  // from the thread itself, into the kernel's record (/proc, top -H, bench's split)
            ThreadPriority.lowerCallingThread(by: steps)
            body(self)
            condition.lock()
            phase = .finished
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.qualityOfService = qualityOfService
        thread.start()
    }

    /// Asks the body to finish: its current and later `wait`s return false at once.
    public func requestStop() {
        condition.lock()
        stopRequested = true
        condition.broadcast()
        condition.unlock()
    }

    public var isStopRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopRequested
    }

    /// Ends the body's current `wait`, or its next one when it is not waiting now.
    public func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Sleeps until `seconds` have passed (any non-finite value: no deadline), `wake()` or `requestStop()`;
    /// returns false when a stop was requested. Called from the body.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        let deadline = seconds.isFinite ? Date(timeIntervalSinceNow: max(0, seconds)) : Date.distantFuture
        condition.lock()
        defer { condition.unlock() }
        while !woken, !stopRequested {
            if !condition.wait(until: deadline) { break }
        }
        woken = false
        return !stopRequested
    }

    /// Waits until the body has returned (at once when it never started).
    public func join() {
        condition.lock()
        while phase == .running { condition.wait() }
        condition.unlock()
    }

    /// `requestStop()`, then `join()`.
    public func stop() {
        requestStop()
        join()
    }

    /// Whether the body ran and returned.
    public var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return phase == .finished
    }
}
