import Actions
import Foundation
import Monitor

/// A fake `RequeueRun` whose progress the test sets and which records every pause, resume and abort.
public final class ScriptedRequeueRun: RequeueRun, @unchecked Sendable {
    /// One thing the run was told.
    public enum Call: Sendable, Equatable {
        case pause
        case resume
        case abort
    }

    private let lock = NSLock()
    private var current: RequeueProgress
    private var received: [Call] = []

    public init(total: Int) {
        current = RequeueProgress(total: total)
    }

    public var progress: RequeueProgress { lock.withLock { current } }

    public var calls: [Call] { lock.withLock { received } }

    /// Sets what `progress` answers next.
    public func set(_ change: (inout RequeueProgress) -> Void) {
        lock.withLock { change(&current) }
    }

    public func pause() {
        lock.withLock {
            received.append(.pause)
            current.paused = true
        }
    }

    public func resume() {
        lock.withLock {
            received.append(.resume)
            current.paused = false
        }
    }

    public func abort() {
        lock.withLock {
            received.append(.abort)
            current.aborted = true
            current.finished = true
            current.stopReason = "aborted by the user"
        }
    }

    public func wait(timeout: Double) -> Bool { progress.finished }
}
