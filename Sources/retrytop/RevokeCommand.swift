import Actions
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

    @Argument(help: "Task ids (or use --name).")
    var ids: [String] = []

    @Option(name: .long, help: "Revoke every task of this name in --state, found by listening and backfill (instead of ids).")
    var name: String?

    @Option(name: .long, help: "With --name: the state the tasks must be in (RETRY: waiting in backoff; STARTED; RECEIVED).")
    var state: String = TaskState.retry.rawValue

    @Option(name: .long, help: "With --name: seconds to listen to events (plus the start-up backfill) before choosing the targets.")
    var listen: Double = 5

    @Option(name: .long, help: "With --name: seconds to keep listening after sending, to report what followed.")
    var follow: Double = 5

    @Flag(name: .long, help: "With --name: print the targets and send nothing (exits 1 when there are none).")
    var dryRun = false

    @OptionGroup var backfill: BackfillOptions

    @Option(name: .long, help: "With --name: seconds to wait past --listen for backfill to finish.")
    var backfillWait: Double = 30

    @Flag(name: .long, help: "Also stop a running task by signalling its pool process.")
    var terminate = false

    @Option(name: .long, help: "Signal for --terminate: SIGTERM (default), SIGKILL, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2.")
    var signal: String = RevokeRequest.defaultSignal

    @Option(name: .long, help: "Seconds to collect the workers' replies (0: broadcast without waiting).")
    var replyTimeout: Double = 1.0

    @OptionGroup var actions: ActionOptions

    func validate() throws {
        if name == nil, ids.isEmpty { throw ValidationError("give task ids, or --name NAME to revoke every task of a name") }
        if name != nil, !ids.isEmpty { throw ValidationError("give task ids or --name, not both") }
        if name == nil, dryRun { throw ValidationError("--dry-run goes with --name") }
        if TaskState(rawValue: state.uppercased()) == nil {
            throw ValidationError("unknown state '\(state)'; use one of \(TaskState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        if actions.readOnly, !dryRun { throw Self.fail(ActionError.readOnlyMessage) }
        if let name { return try revokeByName(name) }
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

    /// `--name`: listens (events and backfill) to find the tasks of `name` in `--state`, revokes them
    /// through the same executor as the ids form, then keeps listening for `--follow` seconds and reports
    /// what followed with the dashboard's own tally (`RevokeTally`).
    private func revokeByName(_ name: String) throws {
        guard let normalized = RevokeRequest.normalizedSignal(signal) else {
            throw UsageError(message: "unknown signal '\(signal)'; use one of \(RevokeRequest.knownSignals.joined(separator: ", "))")
        }
        let wanted = TaskState(rawValue: state.uppercased()) ?? .retry
        let listener = try HeadlessListener(options: options, backfill: backfill)
        let url = listener.brokerURL
        listener.start()
        let found = Date().addingTimeInterval(max(0, listen))
        try listener.pump(until: found, backfillDeadline: found.addingTimeInterval(max(0, backfillWait)))
        let targets = listener.state.tasks(named: name, in: wanted)
        let before = RevokeTally.states(of: targets, in: listener.state)
        let request = RevokeRequest(ids: targets, terminate: terminate, signal: normalized)
        var outcome: RevokeOutcome?
        var sendError: String?
        let log = actions.log
        var auditProblems: [String] = []
        if !dryRun, !targets.isEmpty {
            let executor = ActionExecutor.connect(
                url: url, options: options.transportOptions,
                resultBackend: ResultBackendLocation(url: nil, skipReason: "not needed for revoke"),
                configuration: .init(auditTrail: log, brokerDescription: url.redacted, revokeReplyTimeout: max(0, replyTimeout)))
            do {
                outcome = try executor.revoke(request)
            } catch {
                sendError = "\(error)"
            }
            auditProblems = executor.auditLogErrors
            if sendError == nil {
                let end = Date().addingTimeInterval(max(0, follow))
                try listener.pump(until: end, backfillDeadline: end)
            }
        }
        try listener.finish(waited: listen)
        let tally = RevokeTally(ids: targets, before: before, terminate: terminate).counted(in: listener.state)
        var json = JSONWriter()
        json.beginObject()
        json.string("action", request.action)
        json.string("name", name)
        json.string("state", wanted.rawValue)
        json.bool("dry_run", dryRun)
        json.beginArray("ids")
        for id in targets { json.string(nil, id) }
        json.endArray()
        json.bool("terminate", request.terminate)
        json.string("signal", request.terminate ? request.signal : nil)
        if let outcome {
            json.int("receivers", outcome.receivers)
            json.beginObject("replies")
            for node in outcome.replies.keys.sorted() { json.string(node, outcome.replies[node]) }
            json.endObject()
            json.beginObject("outcome")
            json.int("targeted", targets.count)
            json.int("revoked_while_waiting", tally.revokedWaiting)
            json.int("revoked_while_running", tally.revokedRunning)
            json.int("running", tally.running)
            json.int("succeeded", tally.succeeded)
            json.int("failed", tally.failed)
            json.int("no_answer_yet", tally.noAnswer)
            json.int("untracked", tally.untracked)
            json.string("text", tally.text)
            json.endObject()
        }
        json.string("audit_log", dryRun ? nil : log.path)
        json.endObject()
        print(json.output)
        for problem in auditProblems { FileHandle.standardError.write(Data("retrytop: \(problem)\n".utf8)) }
        if let sendError { throw Self.fail(sendError) }
        guard !targets.isEmpty else {
            throw Self.fail("no \(name) task in \(wanted.rawValue) was seen in \(listen) s of events and the start-up backfill; nothing was sent")
        }
        if dryRun {
            FileHandle.standardError.write(Data("retrytop: dry run: would revoke \(targets.count) \(name) task(s) in \(wanted.rawValue); nothing was sent\n".utf8))
        } else if let outcome {
            FileHandle.standardError.write(Data("retrytop: \(tally.text)\n".utf8))
            if outcome.receivers == 0 { throw Self.fail("no worker received the revoke (is a worker listening on \(url.redacted)?)") }
        }
    }

    /// Prints `message` to stderr and returns the exit code to throw.
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("retrytop: \(message)\n".utf8))
        return .failure
    }
}
