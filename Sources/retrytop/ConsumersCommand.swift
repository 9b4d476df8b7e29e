import ArgumentParser
import CeleryLink
import Foundation
import Monitor
import RedisLink

/// `retrytop consumers cancel|add QUEUE`: stop or resume consuming a queue on the workers, then read back.
struct ConsumersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumers",
        abstract: "Stop (cancel) or resume (add) consuming a queue on every worker (or --destination); prints JSON with active_queues read back.",
        discussion: """
            Like a rate limit, this lives in worker memory only. Messages already prefetched by a worker are \
            still run after a cancel. Exits 1 when a worker answers with an error or a --destination does not \
            answer. Written to the audit log before it is sent.
            """
    )

    @OptionGroup var options: BrokerOptions

    @Argument(help: "cancel or add.")
    var change: String

    @Argument(help: "The queue name.")
    var queue: String

    @OptionGroup var target: WorkerTargetOptions

    @OptionGroup var actions: ActionOptions

    func run() throws {
        guard let kind = WorkerControl.ConsumerChange(rawValue: change) else {
            throw UsageError(message: "'\(change)' is not cancel or add")
        }
        let log = actions.log
        let control = try target.workerControl(options, actions)
        let targets = target.targets
        let timeout = target.timeout
        let outcome: ControlOutcome
        var queues: [String: [String]]
        do {
            outcome = try control.changeConsumer(kind, queue: queue, destination: targets, timeout: timeout)
            queues = try control.activeQueues(destination: targets, timeout: timeout)
            // add_consumer answers before the consumer is added (SPEC §8.2): read once more if it is not there yet.
            if kind == .add, queues.values.contains(where: { !$0.contains(queue) }) {
                usleep(300_000)
                queues = try control.activeQueues(destination: targets, timeout: timeout)
            }
        } catch {
            throw RevokeCommand.fail("\(error)")
        }
        print(ControlReport.json(outcome, fields: [("queue", queue)], readBack: { json in
            json.beginObject("active_queues")
            for node in queues.keys.sorted() {
                json.beginArray(node)
                for name in queues[node] ?? [] { json.string(nil, name) }
                json.endArray()
            }
            json.endObject()
        }, auditLog: log.path))
        try ControlReport.check(outcome, control: control)
    }
}
