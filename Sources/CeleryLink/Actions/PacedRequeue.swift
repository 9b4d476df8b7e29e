import Actions
import Foundation
import Monitor
import RedisLink

/// Sends a previewed requeue on its own thread at a pace, with pause, resume and abort.
///
/// Why: a bulk requeue must not start the next storm, and the user must be able to stop it; the
/// dashboard polls `progress` each frame. Sends follow a schedule (`next += interval`), so the mean
/// rate holds however long each LPUSH takes; after a pause the schedule restarts from now, without a
/// catch-up burst. Invariants: each original id is sent at most once per run (plans are de-duplicated
/// again here); each copy's task id is generated up front (`plannedLinks`, for the audit intent) and its
/// delivery tag fresh. `beforeSend` runs before every push (the executor writes the message's audit
/// record there); when it throws, that message and the rest are not sent and the run stops with the
/// reason. After `maxConsecutiveFailures` broker errors in a row the run stops with a reason. Bounds:
/// `outcomes` holds one entry per task.
public final class PacedRequeue: RequeueRun, @unchecked Sendable {
    public static let maxConsecutiveFailures = 5
    /// Longest sleep between checks of pause/abort.
    static let pollSlice = 0.02

    private let plans: [RequeuePlan]
    /// The new task id of each plan, same order.
    private let newIDs: [String]
    private let beforeSend: @Sendable (RequeuePlan, String) throws -> Void
    private let pace: RequeuePace
    private let broker: any BrokerControl
    private let origin: String
    private let onFinish: @Sendable (RequeueProgress) -> Void
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var state: RequeueProgress
    private var pauseRequested = false
    private var abortRequested = false

    /// Prepares a run; refusals from the preview are done at once. Call `start()`.
    public init(
        preview: RequeuePreview, pace: RequeuePace, broker: any BrokerControl, origin: String,
        beforeSend: @escaping @Sendable (RequeuePlan, String) throws -> Void = { _, _ in },
        onFinish: @escaping @Sendable (RequeueProgress) -> Void = { _ in }
    ) {
        var seen = Set<String>()
        self.plans = preview.plans.filter { seen.insert($0.originalID).inserted }
        self.newIDs = plans.map { _ in UUID().uuidString.lowercased() }
        self.beforeSend = beforeSend
        self.pace = pace
        self.broker = broker
        self.origin = origin
        self.onFinish = onFinish
        var progress = RequeueProgress(total: plans.count + preview.refusals.count)
        for refusal in preview.refusals {
            progress.outcomes.append(RequeueOutcome(originalID: refusal.id, status: .refused, detail: "\(refusal.reason); \(refusal.remedy)"))
            progress.refused += 1
        }
        self.state = progress
    }

    /// Original id → the new id its copy will carry, for every plan, in sending order.
    public var plannedLinks: [(original: String, copy: String)] {
        zip(plans, newIDs).map { ($0.originalID, $1) }
    }

    /// Starts the sending thread.
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "retrytop.requeue"
        thread.start()
    }

    public var progress: RequeueProgress { condition.withLock { state } }

    public func pause() {
        condition.withLock {
            pauseRequested = true
            if !state.finished { state.paused = true }
            condition.broadcast()
        }
    }

    public func resume() {
        condition.withLock {
            pauseRequested = false
            state.paused = false
            condition.broadcast()
        }
    }

    public func abort() {
        condition.withLock {
            abortRequested = true
            condition.broadcast()
        }
    }

    @discardableResult
    public func wait(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(max(0, timeout))
        return condition.withLock {
            while !state.finished {
                if !condition.wait(until: deadline) { return state.finished }
            }
            return true
        }
    }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Waits until `time` unless paused or aborted; returns false when aborted. After a pause the
    /// caller's schedule restarts at the moment of resuming.
    private func waitUntil(_ time: inout Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if abortRequested { return false }
            if pauseRequested {
                _ = condition.wait(until: Date().addingTimeInterval(Self.pollSlice * 10))
                time = Self.now()
                continue
            }
            let remaining = time - Self.now()
            if remaining <= 0 { return true }
            _ = condition.wait(until: Date().addingTimeInterval(min(remaining, Self.pollSlice)))
        }
    }

    private func run() {
        var generator = SystemRandomNumberGenerator()
        let started = Self.now()
        var firstSend: Double?
        var next = started
        var consecutiveFailures = 0
        var sentIDs = Set<String>()
        var stopReason: String?
        for (plan, newID) in zip(plans, newIDs) {
            guard waitUntil(&next) else {
                stopReason = "aborted by the user"
                break
            }
            guard sentIDs.insert(plan.originalID).inserted else { continue }
            do {
                try beforeSend(plan, newID)
            } catch {
                stopReason = "stopped before \(plan.originalID): \(error); it and the rest were not sent"
                break
            }
            let message = TaskMessage(plan: plan, id: newID, deliveryTag: UUID().uuidString.lowercased(), origin: origin)
            var outcome = RequeueOutcome(
                originalID: plan.originalID, status: .sent, newID: newID, name: plan.name, source: plan.source, queue: plan.queue)
            let sendTime = Self.now()
            do {
                try broker.pushTaskMessage(queue: plan.queue, priority: plan.priority, message: Array(message.json.utf8))
                consecutiveFailures = 0
                firstSend = firstSend ?? sendTime
            } catch {
                outcome.status = .failed
                outcome.newID = nil
                outcome.detail = "\(error)"
                consecutiveFailures += 1
            }
            outcome.at = sendTime - started
            condition.withLock {
                state.outcomes.append(outcome)
                if outcome.status == .sent { state.sent += 1 } else { state.failed += 1 }
                if let firstSend { state.sendingSeconds = sendTime - firstSend }
            }
            if consecutiveFailures >= Self.maxConsecutiveFailures {
                stopReason = "stopped after \(consecutiveFailures) broker errors in a row"
                break
            }
            next += pace.interval(unit: Double.random(in: 0..<1, using: &generator))
        }
        var final = condition.withLock { state }
        final.finished = true
        final.paused = false
        final.aborted = stopReason != nil
        final.stopReason = stopReason
        // The audit line is written before anyone waiting sees the run finished.
        onFinish(final)
        condition.withLock {
            state = final
            condition.broadcast()
        }
    }
}
