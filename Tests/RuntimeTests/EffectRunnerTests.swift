import Actions
import Dashboard
import Foundation
import Monitor
import Runtime
import Testing
import TestSupport

/// The effect runner on the scripted action port: effects run off the loop's thread, results come back
/// through `collect()`, and a paced requeue is steered by pause, resume and abort.
@Suite struct EffectRunnerTests {
    /// Collects until `done` holds for what came back (at most 5 s of real time).
    static func collect(_ runner: EffectRunner, until done: ([CommandResult]) -> Bool) -> [CommandResult] {
        var results: [CommandResult] = []
        let deadline = Date().addingTimeInterval(5)
        while !done(results), Date() < deadline {
            results += runner.collect()
            usleep(1_000)
        }
        return results
    }

    @Test func aPacedRequeueIsPausedResumedAndAbortedAndItsProgressComesBack() {
        let run = ScriptedRequeueRun(total: 3)
        let actions = ScriptedTaskActions(run: run)
        let runner = EffectRunner(actions: actions)
        let pace = RequeuePace(rate: 5, jitter: 0)
        runner.perform(.startRequeue(RequeuePreview(), pace))
        // Pause may arrive before the start ran on the serial queue: it waits behind it.
        runner.perform(.pauseRequeue)
        run.set { $0.sent = 1 }
        var results = Self.collect(runner) { $0.contains { if case .requeueProgress(let p) = $0 { p.sent == 1 && p.paused } else { false } } }
        #expect(actions.startedPaces == [pace])
        #expect(run.calls == [.pause])
        runner.perform(.resumeRequeue)
        runner.perform(.abortRequeue)
        results = Self.collect(runner) { $0.contains { if case .requeueProgress(let p) = $0 { p.finished } else { false } } }
        #expect(run.calls == [.pause, .resume, .abort])
        guard case .requeueProgress(let last) = results.last else {
            Issue.record("no progress after abort: \(results)")
            return
        }
        #expect(last.aborted && last.finished && !last.paused && last.stopReason == "aborted by the user")
        // A finished run is let go: no further progress, and steering it again reaches nothing.
        runner.perform(.pauseRequeue)
        usleep(20_000)
        #expect(runner.collect().isEmpty)
        #expect(run.calls == [.pause, .resume, .abort])
    }

    @Test func theTimedRefreshFailsQuietlyAndTheKeyFailsAloud() {
        let runner = EffectRunner(actions: ScriptedTaskActions(policies: nil))
        runner.perform(.refreshPolicies)
        runner.perform(.inspectPolicies)
        let results = Self.collect(runner) { !$0.isEmpty }
        usleep(20_000)
        let all = results + runner.collect()
        #expect(all == [.failed(action: "retry policies", message: "broker error: no worker answered")])
    }

    @Test func withoutAPortEveryActionSaysNothingWasSent() {
        let runner = EffectRunner(actions: nil)
        runner.perform(.refreshPolicies)
        runner.perform(.revoke(RevokeRequest(ids: ["a"])))
        let results = runner.collect()
        #expect(results.count == 1)
        guard case .failed(let action, let message) = results.first else {
            Issue.record("\(results)")
            return
        }
        #expect(action == "revoke" && message.contains("nothing was sent"))
    }
}
