import Actions
import Foundation
import AuditFile
import Monitor
import RedisLink

/// Carries out revoke, terminate, requeue and retry-policy discovery against the broker; the
/// production `TaskActions`.
///
/// Why: the dashboard keys and `retrytop revoke|requeue` share this one implementation, so what the
/// tests prove for the CLI holds for the keys. Revoke is a pidbox broadcast (`docs/celery-wire.md`, "Remote control"); requeue finds
/// exact arguments (`ArgumentFinder`), plans (`RequeuePlanner`) and pushes protocol-2 messages
/// (`TaskMessage`) at a pace (`PacedRequeue`). Every action that sends is written ahead to the audit
/// trail (`AuditTrail`): an `intent` record before anything is sent (with the new ids of a requeue,
/// generated up front), a `send` record before each requeued message, a `result` record after. When an
/// intent cannot be written the action throws `ActionError.auditUnwritable` and sends nothing; when a
/// `send` record cannot be written the run stops before that message. In read-only mode nothing is sent
/// and every such call throws `ActionError.readOnly`.
/// Thread-safe: the broker client serialises its own calls; runs send on their own threads.
public final class ActionExecutor: TaskActions, @unchecked Sendable {
    /// Settings shared by every action.
    public struct Configuration: Sendable {
        public var readOnly: Bool
        /// Where every action is recorded before it is sent; nil: not recorded (tests of other things).
        public var auditTrail: (any AuditTrail)?
        /// The broker as it may be shown (redacted).
        public var brokerDescription: String
        /// `origin` header of requeued messages.
        public var origin: String
        /// Seconds to collect revoke replies; 0 broadcasts without asking for replies.
        public var revokeReplyTimeout: Double
        /// Seconds per inspect round trip when looking for arguments.
        public var inspectTimeout: Double
        /// Queues scanned for waiting messages besides each task's own queue and `celery`.
        public var extraQueues: [String]

        public init(
            readOnly: Bool = false, auditTrail: (any AuditTrail)? = nil, brokerDescription: String = "",
            origin: String = ActionExecutor.defaultOrigin, revokeReplyTimeout: Double = 1.0, inspectTimeout: Double = 1.0,
            extraQueues: [String] = []
        ) {
            self.readOnly = readOnly
            self.auditTrail = auditTrail
            self.brokerDescription = brokerDescription
            self.origin = origin
            self.revokeReplyTimeout = revokeReplyTimeout
            self.inspectTimeout = inspectTimeout
            self.extraQueues = extraQueues
        }
    }

    /// `retrytop<pid>@<host>`, in the style of Celery's `gen<pid>@<host>`.
    public static var defaultOrigin: String {
        "retrytop\(ProcessInfo.processInfo.processIdentifier)@\(ProcessInfo.processInfo.hostName)"
    }

    public let configuration: Configuration
    private let broker: any BrokerControl
    private let finder: ArgumentFinder
    private let audit: AuditRecorder

    public init(broker: any BrokerControl, finder: ArgumentFinder, configuration: Configuration) {
        self.broker = broker
        self.finder = finder
        self.configuration = configuration
        self.audit = AuditRecorder(trail: configuration.auditTrail)
    }

    /// Connects clients for `url` (and the result backend, when usable) and builds an executor.
    public static func connect(
        url: BrokerURL, options: TransportOptions, resultBackend: ResultBackendLocation, configuration: Configuration
    ) -> ActionExecutor {
        let broker = ControlClient(url: url, options: options)
        let backend = resultBackend.url.map { ControlClient(url: $0) }
        let finder = ArgumentFinder(
            broker: broker, resultBackend: backend, resultBackendSkipReason: resultBackend.skipReason,
            inspectTimeout: configuration.inspectTimeout)
        return ActionExecutor(broker: broker, finder: finder, configuration: configuration)
    }

    /// Failures to write a `result` record so far (the actions had been recorded and sent already).
    public var auditLogErrors: [String] { audit.errors }

    // MARK: - Revoke

    public func revoke(_ request: RevokeRequest) throws(ActionError) -> RevokeOutcome {
        guard !configuration.readOnly else { throw .readOnly }
        guard !request.ids.isEmpty else { throw .invalid("no task ids to revoke") }
        guard let signal = RevokeRequest.normalizedSignal(request.signal) else {
            throw .invalid("unknown signal '\(request.signal)'; use one of \(RevokeRequest.knownSignals.joined(separator: ", "))")
        }
        var request = request
        request.signal = signal
        let message = ControlMessage.revoke(ids: request.ids, terminate: request.terminate, signal: signal)
        var intent = AuditRecord(
            id: Self.recordID(), phase: .intent, action: request.action, broker: configuration.brokerDescription, taskIDs: request.ids)
        if request.terminate { intent.details.append(("signal", signal)) }
        try writeAhead(intent)
        var outcome = RevokeOutcome(request: request)
        do {
            if configuration.revokeReplyTimeout > 0 {
                let replies = try broker.request(message, destination: nil, timeout: configuration.revokeReplyTimeout)
                outcome.receivers = replies.count
                for (node, reply) in replies {
                    outcome.replies[node] = reply["ok"]?.stringValue ?? reply["error"].map { "error: \($0.stringValue ?? $0.jsonString)" } ?? reply.jsonString
                }
            } else {
                outcome.receivers = try broker.broadcast(message, destination: nil)
            }
        } catch {
            outcome.error = "\(error)"
        }
        var result = AuditRecord(
            id: Self.recordID(), phase: .result, refersTo: intent.id, action: request.action, broker: configuration.brokerDescription,
            taskIDs: request.ids)
        result.details.append(("result", outcome.error.map { "failed: \($0)" } ?? "sent to \(outcome.receivers) worker(s)"))
        recordAfter(result)
        if let error = outcome.error { throw .broker(error) }
        return outcome
    }

    // MARK: - Requeue

    public func previewRequeue(_ request: RequeueRequest) throws(ActionError) -> RequeuePreview {
        guard !request.subjects.isEmpty else { throw .invalid("no task ids to requeue") }
        var extra = configuration.extraQueues
        if let queue = request.queueOverride { extra.append(queue) }
        let evidence = finder.evidence(for: request.subjects, extraQueues: extra)
        var preview = RequeuePlanner.plan(subjects: request.subjects, evidence: evidence, queueOverride: request.queueOverride)
        if let trail = configuration.auditTrail {
            preview.noteAlreadyRequeued(trail.requeuedCopies(of: Set(preview.plans.map(\.originalID))))
        }
        return preview
    }

    public func startRequeue(_ preview: RequeuePreview, pace: RequeuePace) throws(ActionError) -> any RequeueRun {
        guard !configuration.readOnly else { throw .readOnly }
        let broker = configuration.brokerDescription
        let ids = preview.plans.map(\.originalID) + preview.refusals.map(\.id)
        let intentID = Self.recordID()
        let trail = configuration.auditTrail
        let run = PacedRequeue(
            preview: preview, pace: pace, broker: self.broker, origin: configuration.origin,
            beforeSend: { plan, newID in
                guard let trail else { return }
                var record = AuditRecord(
                    id: Self.recordID(), phase: .send, refersTo: intentID, action: "requeue", broker: broker, taskIDs: [plan.originalID])
                record.newIDs = [(plan.originalID, newID)]
                record.details = [("name", plan.name), ("queue", plan.queue), ("source", plan.source.rawValue)]
                try trail.append(record)
            },
            // Strong: the result must be recorded even when the caller let go of the executor (no cycle:
            // the executor does not keep its runs).
            onFinish: { [self] progress in
                var result = AuditRecord(id: Self.recordID(), phase: .result, refersTo: intentID, action: "requeue", broker: broker, taskIDs: ids)
                result.newIDs = progress.links.map { ($0.original, $0.copy) }
                result.refused = progress.outcomes.filter { $0.status == .refused }.map { ($0.originalID, $0.detail ?? "") }
                result.failed = progress.outcomes.filter { $0.status == .failed }.map { ($0.originalID, $0.detail ?? "") }
                let sources = progress.outcomes.compactMap { $0.status == .sent ? $0.source?.rawValue : nil }
                let counts = Dictionary(sources.map { ($0, 1) }, uniquingKeysWith: +)
                result.details.append(("sources", counts.keys.sorted().map { "\($0)=\(counts[$0]!)" }.joined(separator: " ")))
                if let reason = progress.stopReason { result.details.append(("stopped", reason)) }
                recordAfter(result)
            })
        var intent = AuditRecord(id: intentID, phase: .intent, action: "requeue", broker: broker, taskIDs: ids)
        intent.newIDs = run.plannedLinks
        intent.refused = preview.refusals.map { ($0.id, "\($0.reason); \($0.remedy)") }
        intent.details.append(("pace", pace.rate.isFinite ? "\(pace.rate)/s jitter \(pace.jitter)" : "unpaced"))
        try writeAhead(intent)
        run.start()
        return run
    }

    /// Preview, then send at `request.pace`.
    public func requeue(_ request: RequeueRequest) throws(ActionError) -> any RequeueRun {
        guard !configuration.readOnly else { throw .readOnly }
        return try startRequeue(try previewRequeue(request), pace: request.pace)
    }

    // MARK: - Retry policies

    public func discoverRetryPolicies(timeout: Double) throws(ActionError) -> [String: RetryPolicy] {
        let replies: [String: JSONValue]
        do {
            replies = try broker.request(.registered(fields: RegisteredTaskInfo.items), destination: nil, timeout: timeout)
        } catch {
            throw .broker("\(error)")
        }
        var lines: [String: [String]] = [:]
        for (node, reply) in replies {
            lines[node] = reply.arrayValue?.compactMap(\.stringValue) ?? []
        }
        return RegisteredTaskInfo.policies(replies: lines)
    }

    // MARK: - Worker inspection

    /// Four inspect round trips to `hostname` alone, each ending as soon as it answered; a worker that
    /// does not answer `stats` within `timeout` is not asked the rest (it is busy or gone).
    public func inspectWorker(_ hostname: String, timeout: Double) throws(ActionError) -> WorkerInspection {
        func ask(_ message: ControlMessage) throws(ActionError) -> JSONValue? {
            do {
                return try broker.request(message, destination: [hostname], timeout: timeout)[hostname]
            } catch {
                throw .broker("\(error)")
            }
        }
        let stats = try ask(.stats)
        let active = stats == nil ? nil : try ask(.active)
        let reserved = stats == nil ? nil : try ask(.reserved)
        let queues = stats == nil ? nil : try ask(.activeQueues)
        var inspection = WorkerInspection(hostname: hostname)
        inspection.fold(stats: stats, active: active, reserved: reserved, queues: queues)
        return inspection
    }

    // MARK: - Audit

    static func recordID() -> String { AuditRecorder.recordID() }

    private func writeAhead(_ record: AuditRecord) throws(ActionError) { try audit.writeAhead(record) }

    private func recordAfter(_ record: AuditRecord) { audit.recordAfter(record) }
}
