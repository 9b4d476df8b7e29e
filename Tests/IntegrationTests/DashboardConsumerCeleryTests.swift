import Foundation
import Monitor
import Testing
import TestSupport

/// Stopping a queue from the dashboard (tmux `Q`) against real Celery workers: the queue stops being
/// consumed, a worker that comes online later gets the change again, and `U` resumes it everywhere.
@Suite(.serialized) struct DashboardConsumerCeleryTests {
    typealias Actions = ActionsCeleryTests

    /// `Q` on the default queue, `y`: the worker stops consuming `celery` (a task sent then is not received);
    /// a second worker that comes online is sent the change too (the status says "Re-applied", and a task
    /// sent afterwards is received by neither); `U`, `y` resumes the queue on both and the task runs.
    @Test(.timeLimit(.minutes(3))) func stopAQueueFromTheDashboardReapplyItToANewWorkerAndUndo() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let first = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "dqa", concurrency: 1)
        defer { first.kill() }
        let model = try Actions.Model(broker: redis.url)
        defer { model.stop() }
        let directory = try Actions.temporaryDirectory("dash-consumer")
        let audit = directory.appendingPathComponent("audit.log").path
        let tmux = try await TmuxSession(
            command: "'\(RepoPaths.retrytopBinary.path)' --broker '\(redis.url)' --audit-log '\(audit)'", width: 160, height: 40)
        defer { tmux.kill() }
        try await tmux.waitFor("connected", timeout: .seconds(15))
        try await tmux.waitFor("1/1 workers", timeout: .seconds(10))
        let celery = CeleryCall(brokerURL: redis.url)

        // Q opens the queue prompt with the default queue; Enter asks; y sends cancel_consumer.
        try await tmux.sendKeys("Q")
        try await tmux.sendKeys("Enter")
        let dialog = try await tmux.waitFor("Stop consuming queue celery?", timeout: .seconds(5))
        #expect(dialog.contains("cancel_consumer celery"), "\(dialog)")
        try await tmux.sendKeys("y")
        let applied = try await tmux.waitFor("changed by retrytop: stop consuming queue celery on every worker", timeout: .seconds(10))
        #expect(applied.contains("(1 applied)"), "\(applied)")
        let logged = ThrottleCeleryTests.lines(audit)
        #expect(logged.first?.contains(#""phase":"intent""#) == true && logged.first?.contains("cancel_consumer") == true, "\(logged)")

        let held = try await celery.sendOne("demo.add", args: "[1, 2]")
        try await Task.sleep(for: .seconds(3))
        #expect(model.task(held)?.state == nil || model.task(held)?.state == .pending, "received while the queue was stopped")

        // A second worker comes online: it consumes `celery` from its start, until retrytop re-applies the
        // change (it may take the held task in that moment); a task sent after the re-apply waits.
        let second = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "dqb", concurrency: 1)
        defer { second.kill() }
        let reapplied = try await tmux.waitFor("Re-applied to \(second.nodeName) (came online): stop consuming queue celery", timeout: .seconds(20))
        #expect(reapplied.contains("(2 applied)"), "\(reapplied)")
        let waiting = try await celery.sendOne("demo.add", args: "[3, 4]")
        try await Task.sleep(for: .seconds(3))
        #expect(model.task(waiting)?.state == nil || model.task(waiting)?.state == .pending, "a worker received a task after the re-apply")

        // U, y: both workers consume `celery` again, and the waiting task runs.
        try await tmux.sendKeys("U")
        try await tmux.waitFor("Undo stop consuming queue celery?", timeout: .seconds(5))
        try await tmux.sendKeys("y")
        let undone = try await tmux.waitUntil(timeout: .seconds(10), description: "undo confirmed") {
            $0.contains("Undone, restored resume consuming queue celery") && !$0.contains("changed by retrytop")
        }
        #expect(undone.contains("read back: \(first.nodeName) consuming, \(second.nodeName) consuming"), "\(undone)")
        try await model.waitFor("the waiting task after the undo", timeout: .seconds(20)) { $0.tasks[waiting]?.state == .success }
        #expect(ThrottleCeleryTests.lines(audit).count >= 6, "apply, re-apply and undo: each intent + result")
    }
}
