import Actions
import Foundation
import AuditFile
import Monitor
import RedisLink

/// Throttles a storm at its source through Celery's remote control: a task name's `rate_limit`, and
/// which queues workers consume (`cancel_consumer` / `add_consumer`), with the read-back through inspect.
///
/// Why: revoke stops tasks that exist, not the next wave. These commands are pidbox requests like
/// revoke (`docs/celery-wire.md`, "Remote control"), awaited so that errors and silent workers are reported. A rate limit lives in
/// worker memory only and is per worker (two workers at 10/m run 20/m). Invariants: in read-only mode
/// nothing is sent; every change is written to the audit log before it is sent, and its outcome after.
public final class WorkerControl: WorkerControls, @unchecked Sendable {
    /// Whether a queue is dropped or taken up again.
    public enum ConsumerChange: String, Sendable, CaseIterable {
        case cancel
        case add

        func message(queue: String) -> ControlMessage { self == .cancel ? .cancelConsumer(queue: queue) : .addConsumer(queue: queue) }
    }

    private let broker: any BrokerControl
    private let configuration: ActionExecutor.Configuration
    private let audit: AuditRecorder

    public init(broker: any BrokerControl, configuration: ActionExecutor.Configuration) {
        self.broker = broker
        self.configuration = configuration
        self.audit = AuditRecorder(trail: configuration.auditTrail)
    }

    /// A control client for `url`.
    public static func connect(url: BrokerURL, options: TransportOptions, configuration: ActionExecutor.Configuration) -> WorkerControl {
        WorkerControl(broker: ControlClient(url: url, options: options), configuration: configuration)
    }

    /// Audit-log write failures so far (the commands themselves went ahead).
    public var auditLogErrors: [String] { audit.errors }

    /// Sets `task`'s rate limit (`10/m`, `2/s`, `0` to lift it) on every worker or on `destination`.
    public func setRateLimit(task: String, rate: String, destination: [String]?, timeout: Double) throws(ActionError) -> ControlOutcome {
        try send(.rateLimit(task: task, rate: rate), details: [("task_name", task), ("rate_limit", rate)], destination: destination, timeout: timeout)
    }

    /// Stops or resumes consuming `queue` on every worker or on `destination`.
    public func changeConsumer(_ change: ConsumerChange, queue: String, destination: [String]?, timeout: Double) throws(ActionError) -> ControlOutcome {
        try send(change.message(queue: queue), details: [("queue", queue)], destination: destination, timeout: timeout)
    }

    /// Each worker's rate limit for `task` as `inspect registered rate_limit` reports it ("" when none).
    public func rateLimits(task: String, destination: [String]?, timeout: Double) throws(ActionError) -> [String: String] {
        let replies = try request(.registered(fields: ["rate_limit"]), destination: destination, timeout: timeout)
        var limits: [String: String] = [:]
        for (node, reply) in replies {
            for line in reply.arrayValue?.compactMap(\.stringValue) ?? [] {
                guard let (name, policy) = RegisteredTaskInfo.parse(line: line), name == task else { continue }
                limits[node] = policy.rateLimit ?? ""
            }
        }
        return limits
    }

    /// The queues each worker consumes, from `inspect active_queues`.
    public func activeQueues(destination: [String]?, timeout: Double) throws(ActionError) -> [String: [String]] {
        let replies = try request(.activeQueues, destination: destination, timeout: timeout)
        return replies.mapValues { reply in (reply.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.sorted() }
    }

    /// The dashboard's port: for `.apply`, each worker's value before the change (kept for undo); then
    /// the change, awaited; then the read-back through inspect. Read failures leave the maps empty: the
    /// change itself is what counts, and its replies say who applied it.
    public func perform(_ request: WorkerChangeRequest, timeout: Double) throws(ActionError) -> WorkerChangeResult {
        guard !configuration.readOnly else { throw .readOnly }
        var result = WorkerChangeResult(request: request)
        if request.purpose == .apply { result.previous = (try? values(of: request.change, destination: request.destination, timeout: timeout)) ?? [:] }
        let outcome: ControlOutcome
        switch request.change {
        case .rateLimit(let task, let rate):
            outcome = try setRateLimit(task: task, rate: rate, destination: request.destination, timeout: timeout)
        case .cancelConsumer(let queue):
            outcome = try changeConsumer(.cancel, queue: queue, destination: request.destination, timeout: timeout)
        case .addConsumer(let queue):
            outcome = try changeConsumer(.add, queue: queue, destination: request.destination, timeout: timeout)
        }
        result.ok = outcome.ok
        result.errors = outcome.errors
        result.readBack = (try? values(of: request.change, destination: request.destination, timeout: timeout)) ?? [:]
        return result
    }

    /// Each worker's current value for what `change` touches: its rate limit for the task ("" for none),
    /// or `consuming` / `not consuming` for the queue.
    private func values(of change: WorkerChange, destination: [String]?, timeout: Double) throws(ActionError) -> [String: String] {
        switch change {
        case .rateLimit(let task, _):
            return try rateLimits(task: task, destination: destination, timeout: timeout)
        case .cancelConsumer(let queue), .addConsumer(let queue):
            return try activeQueues(destination: destination, timeout: timeout).mapValues { $0.contains(queue) ? "consuming" : "not consuming" }
        }
    }

    // MARK: - Sending

    private func send(
        _ message: ControlMessage, details: [(String, String)], destination: [String]?, timeout: Double
    ) throws(ActionError) -> ControlOutcome {
        let method = message.method
        guard !configuration.readOnly else { throw .readOnly }
        let details = details + [("destination", destination?.joined(separator: ",") ?? "all workers")]
        var intent = AuditRecord(
            id: AuditRecorder.recordID(), phase: .intent, action: method, broker: configuration.brokerDescription, taskIDs: [])
        intent.details = details
        try audit.writeAhead(intent)
        var result = AuditRecord(
            id: AuditRecorder.recordID(), phase: .result, refersTo: intent.id, action: method,
            broker: configuration.brokerDescription, taskIDs: [])
        result.details = details
        let outcome: ControlOutcome
        do {
            outcome = ControlOutcome(
                method: method, replies: try request(message, destination: destination, timeout: timeout),
                destination: destination)
        } catch {
            result.details.append(("result", "failed: \(error)"))
            audit.recordAfter(result)
            throw error
        }
        result.details.append(("result", outcome.summary))
        audit.recordAfter(result)
        return outcome
    }

    private func request(_ message: ControlMessage, destination: [String]?, timeout: Double) throws(ActionError) -> [String: JSONValue] {
        do {
            return try broker.request(message, destination: destination, timeout: timeout)
        } catch {
            throw .broker("\(error)")
        }
    }
}
