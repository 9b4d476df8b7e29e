import Actions
import ArgumentParser
import CeleryLink
import Foundation
import Monitor
import RedisLink

/// `retrytop requeue ID…`: the scriptable twin of the `R` key, through the same `ActionExecutor`.
struct RequeueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Re-send tasks as new tasks with their exact arguments, paced; prints JSON (--dry-run: only the plan).",
        discussion: """
            Exact arguments come, in this order, from the result backend (workers with result_extended=True; \
            --result-backend URL or $CELERY_RESULT_BACKEND, Redis only), the task's message in its queue or in \
            unacked (while it waits in backoff), inspect active/reserved/scheduled, and last the event repr \
            strings from --snapshot or --events (a recording) when they are complete plain literals. A task with none of these is \
            refused with the reason. Each copy gets a new id; every requeue is written to the audit log, and a task \
            the audit log shows as already requeued is skipped (listed as "already_requeued") unless --force.
            """
    )

    @OptionGroup var options: BrokerOptions

    @Argument(help: "Task ids (each is sent at most once).")
    var ids: [String]

    @Flag(name: .long, help: "Only show what would be sent, from which source, and what is refused.")
    var dryRun = false

    @Flag(name: .long, help: "Also send tasks already requeued (a copy is in the audit log); by default they are skipped.")
    var force = false

    @Option(name: .long, help: "Messages per second.")
    var rate: Double = RequeuePace.default.rate

    @Option(name: .long, help: "Vary each interval by up to this fraction (0...1).")
    var jitter: Double = RequeuePace.default.jitter

    @Option(name: .long, help: "Send the copies to this queue instead of the original one.")
    var queue: String?

    @OptionGroup var backendOptions: ResultBackendOptions

    @Option(name: .long, help: "A `retrytop snapshot` document: task names, queues and event reprs.")
    var snapshot: String?

    @Option(name: .long, help: "A recording from `retrytop events`: task names, queues and event reprs (with --snapshot, the snapshot wins).")
    var events: String?

    @Option(name: .long, help: "Seconds per inspect round trip while looking for arguments (0: skip inspect).")
    var inspectTimeout: Double = 1.0

    @OptionGroup var actions: ActionOptions

    func run() throws {
        if actions.readOnly && !dryRun { throw RevokeCommand.fail(ActionError.readOnlyMessage) }
        guard rate > 0, rate.isFinite else { throw UsageError(message: "--rate must be a positive number of messages per second") }
        guard (0...1).contains(jitter) else { throw UsageError(message: "--jitter must be between 0 and 1") }
        let backend = try backendOptions.location(broker: options)
        let url = try options.resolvedURL(resultBackend: backend)
        backendOptions.warnAboutArgvPassword(backend)
        let log = actions.log
        let executor = ActionExecutor.connect(
            url: url, options: options.transportOptions, resultBackend: backend,
            configuration: .init(readOnly: actions.readOnly, auditTrail: log, brokerDescription: url.redacted, inspectTimeout: max(0, inspectTimeout)))
        let recorded = try events.map { try Self.subjects(eventsPath: $0, limits: options.limits) } ?? [:]
        let known = recorded.merging(try snapshot.map(Self.subjects(snapshotPath:)) ?? [:]) { _, fromSnapshot in fromSnapshot }
        let subjects = ids.map { known[$0] ?? RequeueSubject(id: $0) }
        let pace = RequeuePace(rate: rate, jitter: jitter)
        let request = RequeueRequest(subjects: subjects, pace: pace, queueOverride: queue)

        let preview: RequeuePreview
        do {
            preview = try executor.previewRequeue(request)
        } catch {
            throw RevokeCommand.fail("\(error)")
        }
        let sendable = force ? preview : preview.skippingAlreadyRequeued()
        if dryRun {
            print(Self.previewJSON(sendable, backend: backend, forced: force))
            if preview.plans.isEmpty, !preview.refusals.isEmpty {
                let first = preview.refusals[0]
                throw RevokeCommand.fail("every task was refused (\(preview.refusals.count)); first: \(first.id): \(first.reason)")
            }
            return
        }
        if sendable.total == 0 {
            print(Self.resultJSON(RequeueProgress(total: 0), skipped: sendable.alreadyRequeued, pace: pace, auditLog: log.path))
            FileHandle.standardError.write(Data("retrytop: nothing sent: all \(sendable.alreadyRequeued.count) already requeued (--force sends them again)\n".utf8))
            return
        }
        let run: any RequeueRun
        do {
            run = try executor.startRequeue(sendable, pace: pace)
        } catch {
            throw RevokeCommand.fail("\(error)")
        }
        let stop = StopFlag.installForInterrupts()
        var lastReport = Date()
        while !run.wait(timeout: 0.1) {
            if stop.isSet { run.abort() }
            if Date().timeIntervalSince(lastReport) >= 1 {
                lastReport = Date()
                let progress = run.progress
                FileHandle.standardError.write(Data("retrytop: requeue \(progress.done)/\(progress.total) (sent \(progress.sent), refused \(progress.refused), failed \(progress.failed))\n".utf8))
            }
        }
        let progress = run.progress
        print(Self.resultJSON(progress, skipped: force ? [:] : sendable.alreadyRequeued, pace: pace, auditLog: log.path))
        for problem in executor.auditLogErrors { FileHandle.standardError.write(Data("retrytop: \(problem)\n".utf8)) }
        if progress.failed > 0 || progress.refused > 0 || progress.aborted {
            throw RevokeCommand.fail(
                "requeue incomplete: \(progress.sent) sent, \(progress.refused) refused, \(progress.failed) failed"
                    + (progress.stopReason.map { " (\($0))" } ?? ""))
        }
    }

    /// Subjects by id from a recording made by `retrytop events`.
    static func subjects(eventsPath: String, limits: MonitorLimits) throws -> [String: RequeueSubject] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: eventsPath))
        } catch {
            throw UsageError(message: "cannot read --events \(eventsPath): \(error.localizedDescription)")
        }
        let recording = EventRecording(bytes: Array(data))
        if recording.events.isEmpty, recording.stats.messages > 0 {
            throw UsageError(message: "--events \(eventsPath) is not a recording from `retrytop events` (no line decodes as an event)")
        }
        return recording.requeueSubjects(limits: limits)
    }

    /// Subjects by id from a `retrytop snapshot` document.
    static func subjects(snapshotPath: String) throws -> [String: RequeueSubject] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: snapshotPath))
        } catch {
            throw UsageError(message: "cannot read --snapshot \(snapshotPath): \(error.localizedDescription)")
        }
        guard let document = try? JSONValue.parse(Array(data)), let tasks = document["tasks"]?.arrayValue else {
            throw UsageError(message: "--snapshot \(snapshotPath) is not a retrytop snapshot document (no \"tasks\" array)")
        }
        var subjects: [String: RequeueSubject] = [:]
        for task in tasks {
            guard let id = task["id"]?.stringValue else { continue }
            subjects[id] = RequeueSubject(
                id: id, name: task["name"]?.stringValue, argsRepr: task["args"]?.stringValue,
                kwargsRepr: task["kwargs"]?.stringValue, queue: task["queue"]?.stringValue,
                state: task["state"]?.stringValue.flatMap(TaskState.init(rawValue:)))
        }
        return subjects
    }

    /// The dry-run document; `forced`: tasks already requeued are among `would_send`, else listed as skipped.
    static func previewJSON(_ preview: RequeuePreview, backend: ResultBackendLocation, forced: Bool = false) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.bool("dry_run", true)
        json.int("total", preview.total + (forced ? 0 : preview.alreadyRequeued.count))
        json.int("would_send", preview.plans.count)
        json.int("refused", preview.refusals.count)
        json.int("already_requeued", preview.alreadyRequeued.count)
        json.bool("forced", forced)
        json.beginObject("sources")
        let counts = preview.countsBySource
        for source in ArgumentSource.allCases where counts[source] != nil { json.int(source.rawValue, counts[source]) }
        json.endObject()
        json.string("result_backend", backend.description)
        json.beginArray("tasks")
        for plan in preview.plans {
            json.beginObject()
            json.string("id", plan.originalID)
            json.string("status", "would_send")
            json.string("name", plan.name)
            json.string("source", plan.source.rawValue)
            if let copy = preview.alreadyRequeued[plan.originalID] { json.string("requeued_before_as", copy) }
            json.string("queue", plan.queue)
            json.int("priority", plan.priority)
            json.raw("args", plan.args)
            json.raw("kwargs", plan.kwargs)
            json.endObject()
        }
        for refusal in preview.refusals {
            json.beginObject()
            json.string("id", refusal.id)
            json.string("status", "refused")
            json.string("reason", refusal.reason)
            json.string("remedy", refusal.remedy)
            json.endObject()
        }
        if !forced { alreadyRequeuedJSON(preview.alreadyRequeued, into: &json) }
        json.endArray()
        json.endObject()
        return json.output
    }

    /// One `already_requeued` task entry per skipped id, sorted.
    static func alreadyRequeuedJSON(_ skipped: [String: String], into json: inout JSONWriter) {
        for (id, copy) in skipped.sorted(by: { $0.key < $1.key }) {
            json.beginObject()
            json.string("id", id)
            json.string("status", "already_requeued")
            json.string("requeued_before_as", copy.isEmpty ? nil : copy)
            json.endObject()
        }
    }

    /// The run's report; `skipped` are the tasks already requeued that were not sent again.
    static func resultJSON(_ progress: RequeueProgress, skipped: [String: String], pace: RequeuePace, auditLog: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.bool("dry_run", false)
        json.int("total", progress.total + skipped.count)
        json.int("sent", progress.sent)
        json.int("already_requeued", skipped.count)
        json.int("refused", progress.refused)
        json.int("failed", progress.failed)
        json.bool("aborted", progress.aborted)
        json.string("stop_reason", progress.stopReason)
        json.number("rate", pace.rate)
        json.number("jitter", pace.jitter)
        json.number("sending_seconds", progress.sendingSeconds)
        json.string("audit_log", auditLog)
        json.beginArray("tasks")
        for outcome in progress.outcomes {
            json.beginObject()
            json.string("id", outcome.originalID)
            json.string("status", outcome.status.rawValue)
            json.string("new_id", outcome.newID)
            json.string("name", outcome.name)
            json.string("source", outcome.source?.rawValue)
            json.string("queue", outcome.queue)
            json.string("detail", outcome.detail)
            json.endObject()
        }
        alreadyRequeuedJSON(skipped, into: &json)
        json.endArray()
        json.endObject()
        return json.output
    }
}
