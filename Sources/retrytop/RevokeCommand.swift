import ArgumentParser
import CeleryLink
import Foundation
import Monitor
import RedisLink

/// `retrytop revoke ID…`: the scriptable twin of the `x`/`X` keys, through the same `ActionExecutor`.
struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke tasks through Celery's pidbox broadcast (--terminate also kills a running task); prints JSON.",
        discussion: """
            A plain revoke flags the ids in every worker: a task waiting in backoff is discarded at its ETA, \
            but a task that is already running keeps running. --terminate also signals its pool process. \
            Revokes live in worker memory only. Every revoke is written to the audit log.
            """
    )

    @OptionGroup var options: BrokerOptions

    @Argument(help: "Task ids.")
    var ids: [String]

    @Flag(name: .long, help: "Also stop a running task by signalling its pool process.")
    var terminate = false

    @Option(name: .long, help: "Signal for --terminate: SIGTERM (default), SIGKILL, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2.")
    var signal: String = RevokeRequest.defaultSignal

    @Option(name: .long, help: "Seconds to collect the workers' replies (0: broadcast without waiting).")
    var replyTimeout: Double = 1.0

    @OptionGroup var actions: ActionOptions

    func run() throws {
        if actions.readOnly { throw Self.fail(ActionError.readOnlyMessage) }
        guard let normalized = RevokeRequest.normalizedSignal(signal) else {
            throw UsageError(message: "unknown signal '\(signal)'; use one of \(RevokeRequest.knownSignals.joined(separator: ", "))")
        }
        let url = try options.resolvedURL()
        let log = actions.log
        let executor = ActionExecutor.connect(
            url: url, options: options.transportOptions,
            resultBackend: ResultBackendLocation(url: nil, skipReason: "not needed for revoke"),
            configuration: .init(auditTrail: log, brokerDescription: url.redacted, revokeReplyTimeout: max(0, replyTimeout)))
        let request = RevokeRequest(ids: ids, terminate: terminate, signal: normalized)
        let outcome: RevokeOutcome
        do {
            outcome = try executor.revoke(request)
        } catch {
            throw Self.fail("\(error)")
        }
        var json = JSONWriter()
        json.beginObject()
        json.string("action", request.action)
        json.beginArray("ids")
        for id in request.ids { json.string(nil, id) }
        json.endArray()
        json.bool("terminate", request.terminate)
        json.string("signal", request.terminate ? request.signal : nil)
        json.int("receivers", outcome.receivers)
        json.beginObject("replies")
        for node in outcome.replies.keys.sorted() { json.string(node, outcome.replies[node]) }
        json.endObject()
        json.string("audit_log", log.path)
        json.endObject()
        print(json.output)
        for problem in executor.auditLogErrors { FileHandle.standardError.write(Data("retrytop: \(problem)\n".utf8)) }
        if outcome.receivers == 0 {
            throw Self.fail("no worker received the revoke (is a worker listening on \(url.redacted)?)")
        }
    }

    /// Prints `message` to stderr and returns the exit code to throw.
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("retrytop: \(message)\n".utf8))
        return .failure
    }
}
