import Actions
import ArgumentParser
import CeleryLink
import Foundation
import Monitor
import RedisLink

/// `retrytop rate-limit NAME RATE`: set a task name's rate limit on the workers, then read it back.
struct RateLimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate-limit",
        abstract: "Set a task name's rate limit on every worker (or --destination), await the replies, read it back; prints JSON.",
        discussion: """
            The limit is per worker (two workers at 10/m run 20/m in total) and lives in worker memory only: \
            a restarted worker forgets it. Tasks held by a limit still fill the worker's prefetch window and \
            stall its other tasks; lifting the limit (RATE 0) does not release those already held. Exits 1 when \
            a worker answers with an error or a --destination does not answer. Written to the audit log before it is sent.
            """
    )

    @OptionGroup var options: BrokerOptions

    @Argument(help: "The task name, e.g. tasks.fetch_api_data.")
    var name: String

    @Argument(help: "The rate: 10/m, 2/s, 100/h, or 0 to lift the limit.")
    var rate: String

    @OptionGroup var target: WorkerTargetOptions

    @OptionGroup var actions: ActionOptions

    func run() throws {
        guard WorkerChange.isRate(rate) else { throw UsageError(message: "rate '\(rate)' is not N, N/s, N/m or N/h") }
        let log = actions.log
        let control = try target.workerControl(options, actions)
        let targets = target.targets
        let timeout = target.timeout
        let outcome: ControlOutcome
        let limits: [String: String]
        do {
            outcome = try control.setRateLimit(task: name, rate: rate, destination: targets, timeout: timeout)
            limits = try control.rateLimits(task: name, destination: targets, timeout: timeout)
        } catch {
            throw RevokeCommand.fail("\(error)")
        }
        print(ControlReport.json(outcome, fields: [("task_name", name), ("rate_limit", rate)], readBack: { json in
            json.beginObject("read_back")
            for node in limits.keys.sorted() { json.string(node, limits[node]?.isEmpty == false ? limits[node] : "none") }
            json.endObject()
        }, auditLog: log.path))
        try ControlReport.check(outcome, control: control)
    }
}
