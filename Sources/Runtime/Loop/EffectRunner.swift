import Actions
import Dashboard
import Foundation
import Monitor

/// Runs the dashboard's effects at the edge, off the draw thread, and hands results back as messages.
///
/// Why: revoke waits for replies and a requeue preview asks the workers, both for up to seconds; the
/// loop must keep drawing. Effects run one at a time on a serial queue; a started requeue run is
/// polled every frame for progress. Pause, resume and abort go straight to the running run (they
/// only set flags), or queue behind a start still in flight. Results wait in a locked mailbox until
/// the loop collects them. Thin by design: every decision is the dashboard's or the port's.
public final class EffectRunner: @unchecked Sendable {
    private let actions: (any TaskActions)?
    private let control: (any WorkerControls)?
    private let controlTimeout: Double
    private let queue = DispatchQueue(label: "retrytop.effects")
    private let lock = NSLock()
    private var mailbox: [CommandResult] = []
    private var run: (any RequeueRun)?
    private var lastProgress: RequeueProgress?
    private let policyTimeout: Double
    private let workerTimeout: Double
    /// Where `.journal` batches go (nil: nothing journals).
    private let journal: (any JournalPort)?

    /// `actions` nil means no broker to act on (replay): every effect reports why it did nothing.
    /// `control` nil: rate limit and consumer changes report that there is no broker to act on.
    /// - Parameter workerTimeout: seconds per inspect request of the worker view (four at most).
    public init(
        actions: (any TaskActions)?, control: (any WorkerControls)? = nil, policyTimeout: Double = 1.5, controlTimeout: Double = 1.0,
        workerTimeout: Double = 1.0, journal: (any JournalPort)? = nil
    ) {
        self.actions = actions
        self.control = control
        self.policyTimeout = policyTimeout
        self.workerTimeout = workerTimeout
        self.controlTimeout = controlTimeout
        self.journal = journal
    }

    /// Starts `effect` in the background (quit is the loop's own business).
    public func perform(_ effect: Effect) {
        if case .changeWorkers(let requests) = effect { return changeWorkers(requests) }
        if case .journal(let facts) = effect {
            journal?.submit(facts)
            return
        }
        guard let actions else {
            switch effect {
            case .quit, .inspectPolicies, .refreshPolicies: return
            default:
                post(.failed(action: effect.actionName, message: "nothing was sent: replay has no broker to act on"))
                return
            }
        }
        switch effect {
        case .pauseRequeue: return steer(.pause)
        case .resumeRequeue: return steer(.resume)
        case .abortRequeue: return steer(.abort)
        default: break
        }
        queue.async { [self] in
            switch effect {
            case .revoke(let request):
                do {
                    post(.revoked(try actions.revoke(request)))
                } catch {
                    post(.failed(action: request.terminate ? "terminate" : "revoke", message: "\(error)"))
                }
            case .previewRequeue(let request):
                do {
                    post(.requeuePreview(try actions.previewRequeue(request)))
                } catch {
                    post(.failed(action: effect.actionName, message: "\(error)"))
                }
            case .startRequeue(let preview, let pace):
                do {
                    let started = try actions.startRequeue(preview, pace: pace)
                    lock.withLock {
                        run = started
                        lastProgress = nil
                    }
                } catch {
                    post(.failed(action: effect.actionName, message: "\(error)"))
                }
            case .inspectPolicies, .refreshPolicies:
                do {
                    post(.policies(try actions.discoverRetryPolicies(timeout: policyTimeout)))
                } catch {
                    // The periodic refresh stays quiet: workers that do not answer are not news every two minutes.
                    if effect == .inspectPolicies { post(.failed(action: effect.actionName, message: "\(error)")) }
                }
            case .inspectWorker(let host):
                do {
                    post(.workerInspection(try actions.inspectWorker(host, timeout: workerTimeout)))
                } catch {
                    post(.failed(action: effect.actionName, message: "\(error)"))
                }
            case .pauseRequeue, .resumeRequeue, .abortRequeue, .replay, .quit, .changeWorkers, .journal:
                break
            }
        }
    }

    /// Sends each change in turn on the serial queue; every answer (or failure) comes back on its own.
    private func changeWorkers(_ requests: [WorkerChangeRequest]) {
        guard let control else {
            for request in requests { post(.workerChangeFailed(request, "nothing was sent: no broker to act on")) }
            return
        }
        let timeout = controlTimeout
        queue.async { [self] in
            for request in requests {
                do {
                    post(.workersChanged(try control.perform(request, timeout: timeout)))
                } catch {
                    post(.workerChangeFailed(request, "\(error)"))
                }
            }
        }
    }

    /// Controls the running requeue now, or right after a start still waiting on the serial queue.
    private func steer(_ command: RequeueControl) {
        if control(command) { return }
        queue.async { [self] in control(command) }
    }

    /// Collects finished results and the running requeue's progress when it changed.
    public func collect() -> [CommandResult] {
        lock.lock()
        var results = mailbox
        mailbox.removeAll()
        let current = run
        lock.unlock()
        if let current {
            let progress = current.progress
            if progress != lastProgress {
                lastProgress = progress
                results.append(.requeueProgress(progress))
            }
            if progress.finished { lock.withLock { if run === current { run = nil } } }
        }
        return results
    }

    /// Pauses, resumes or aborts the running requeue, if any; returns whether there was one.
    @discardableResult
    private func control(_ command: RequeueControl) -> Bool {
        guard let current = lock.withLock({ run }) else { return false }
        switch command {
        case .pause: current.pause()
        case .resume: current.resume()
        case .abort: current.abort()
        }
        return true
    }

    /// Aborts any running requeue and waits briefly for in-flight effects (on quit).
    public func shutdown() {
        control(.abort)
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        _ = done.wait(timeout: .now() + 3)
    }

    private func post(_ result: CommandResult) {
        lock.withLock { mailbox.append(result) }
    }
}

/// What the loop can ask of a running paced requeue.
public enum RequeueControl: Sendable {
    case pause
    case resume
    case abort
}
