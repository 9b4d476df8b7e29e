import Actions
import Foundation
import Monitor
import RedisLink

/// Looks up the exact arguments of tasks in every source `docs/celery-wire.md` names ("Where exact arguments live"), in order: the result
/// backend, the queue lists, the `unacked` hash and `inspect active/reserved/scheduled` replies.
///
/// Why: events carry only cut repr strings; a requeue must re-send what the worker really got. The
/// finder only gathers `ArgumentEvidence`; `RequeuePlanner` decides (and falls back to the event repr).
/// Work is per batch, not per task: each queue list and `unacked` are read once, inspect is asked only
/// when some task is still unresolved and not known to be finished.
/// Bounds: at most `maxMessagesPerList` messages are read from each priority list of each queue; the
/// inspect round trips take up to 3 × `inspectTimeout`.
public final class ArgumentFinder: @unchecked Sendable {
    public static let maxMessagesPerList = 20_000

    private let broker: any BrokerControl
    private let resultBackend: (any BrokerControl)?
    private let resultBackendSkipReason: String
    private let inspectTimeout: Double

    /// - Parameters:
    ///   - broker: the broker (queues, `unacked`, pidbox).
    ///   - resultBackend: a client on the Redis result backend, or nil with `resultBackendSkipReason`.
    ///   - inspectTimeout: seconds each inspect round trip waits for replies; 0 skips inspect.
    public init(
        broker: any BrokerControl, resultBackend: (any BrokerControl)?, resultBackendSkipReason: String? = nil,
        inspectTimeout: Double = 1.0
    ) {
        self.broker = broker
        self.resultBackend = resultBackend
        self.resultBackendSkipReason = resultBackendSkipReason ?? "no result backend given"
        self.inspectTimeout = inspectTimeout
    }

    /// Evidence for every subject, keyed by task id. `extraQueues` are scanned besides each subject's queue
    /// and `celery`.
    public func evidence(for subjects: [RequeueSubject], extraQueues: [String] = []) -> [String: ArgumentEvidence] {
        var evidence: [String: ArgumentEvidence] = [:]
        let ids = Set(subjects.map(\.id))
        for id in ids { evidence[id] = ArgumentEvidence() }
        var finished = Set(subjects.filter { $0.state?.isFinished == true }.map(\.id))

        // 1. Result backend.
        if let resultBackend {
            for (id, finding) in lookUpResultBackend(ids: Array(ids), backend: resultBackend, finished: &finished) {
                evidence[id]?.findings[.resultBackend] = finding
            }
        } else {
            for id in ids { evidence[id]?.findings[.resultBackend] = .skipped(resultBackendSkipReason) }
        }

        // 2. Queue lists and 3. unacked.
        let queues = Set(subjects.compactMap(\.queue) + extraQueues + [RequeuePlanner.defaultQueue]).sorted()
        let queued = scanQueues(queues, wanted: ids)
        let reserved = scanUnacked(wanted: ids)
        for id in ids {
            evidence[id]?.findings[.queue] = queued.found[id].map { .found($0) }
                ?? queued.error.map { .absent("reading the queues failed: \($0)") }
                ?? .absent("not waiting in \(queues.joined(separator: ", "))")
            evidence[id]?.findings[.unacked] = reserved.found[id].map { .found($0) }
                ?? reserved.error.map { .absent("reading unacked failed: \($0)") }
                ?? .absent("not reserved by a worker (not in unacked)")
        }

        // 4. Inspect, only for tasks still unresolved that a worker may hold.
        let unresolved = ids.filter { evidence[$0]?.firstFound == nil && !finished.contains($0) }
        for id in ids where evidence[id]?.firstFound == nil && finished.contains(id) {
            evidence[id]?.findings[.inspect] = .skipped("the task has finished, so no worker holds it")
        }
        if !unresolved.isEmpty {
            if inspectTimeout > 0 {
                let held = askWorkers(wanted: Set(unresolved))
                for id in unresolved {
                    evidence[id]?.findings[.inspect] = held.found[id].map { .found($0) }
                        ?? .absent(held.error.map { "inspect failed: \($0)" } ?? "no worker reported it active, reserved or scheduled")
                }
            } else {
                for id in unresolved { evidence[id]?.findings[.inspect] = .skipped("inspect is disabled") }
            }
        }
        return evidence
    }

    // MARK: - Sources

    private func lookUpResultBackend(ids: [String], backend: any BrokerControl, finished: inout Set<String>) -> [String: ArgumentEvidence.Finding] {
        var findings: [String: ArgumentEvidence.Finding] = [:]
        for id in ids {
            let key = "celery-task-meta-\(id)"
            do {
                guard let meta = try backend.get(key) else {
                    findings[id] = .absent("no \(key) (expired after result_expires, or never stored)")
                    continue
                }
                if let status = RawJSON.members(meta)?["status"].flatMap(RawJSON.string),
                   let state = TaskState(rawValue: status), state.isFinished {
                    finished.insert(id)
                }
                findings[id] = ExactArguments.fromResultMeta(meta).map { .found($0) }
                    ?? .absent("\(key) has no args/kwargs: the workers do not run with result_extended=True")
            } catch {
                findings[id] = .absent("reading the result backend failed: \(error)")
            }
        }
        return findings
    }

    private struct Scan {
        var found: [String: ExactArguments] = [:]
        var error: String?
    }

    private func scanQueues(_ queues: [String], wanted: Set<String>) -> Scan {
        var scan = Scan()
        for queue in queues {
            for listKey in PriorityBucket.allKeys(queue: queue) {
                let name = String(decoding: listKey, as: UTF8.self)
                do {
                    for raw in try broker.lrange(name, start: 0, stop: Self.maxMessagesPerList - 1) {
                        guard let (id, arguments) = Self.taskMessage(raw, source: .queue, routingKey: nil),
                              wanted.contains(id), scan.found[id] == nil
                        else { continue }
                        scan.found[id] = arguments
                    }
                } catch {
                    scan.error = "\(error)"
                }
            }
        }
        return scan
    }

    private func scanUnacked(wanted: Set<String>) -> Scan {
        var scan = Scan()
        do {
            for (_, raw) in try broker.hgetall("unacked") {
                // `[message, exchange, routing_key]`.
                guard let entry = try? JSONValue.parse(raw).arrayValue, let message = entry.first, message.objectValue != nil,
                      let (id, arguments) = Self.taskMessage(message.jsonBytes, source: .unacked, routingKey: entry.count > 2 ? entry[2].stringValue : nil),
                      wanted.contains(id)
                else { continue }
                scan.found[id] = arguments
            }
        } catch {
            scan.error = "\(error)"
        }
        return scan
    }

    /// The task id and arguments of a kombu task message, or nil if it is not a protocol-2 task message
    /// (read by the same parser backfill uses, `BackfilledTask.fromTaskMessage`).
    static func taskMessage(_ raw: [UInt8], source: ArgumentSource, routingKey: String?) -> (String, ExactArguments)? {
        guard let message = BackfilledTask.fromTaskMessage(raw, source: .queue, readAt: 0),
              let args = message.args, let kwargs = message.kwargs
        else { return nil }
        let queue = routingKey ?? message.queue
        let arguments = ExactArguments(
            args: args, kwargs: kwargs, source: source, name: message.name,
            queue: queue.flatMap { $0.isEmpty ? nil : $0 }, priority: message.priority)
        return (message.id, arguments)
    }

    private func askWorkers(wanted: Set<String>) -> Scan {
        var scan = Scan()
        for message in [ControlMessage.active, .reserved, .scheduled] {
            let replies: [String: JSONValue]
            do {
                replies = try broker.request(message, destination: nil, timeout: inspectTimeout)
            } catch {
                scan.error = "\(error)"
                continue
            }
            for task in InspectReplies.tasks(message, replies: replies, readAt: 0).tasks {
                guard wanted.contains(task.id), scan.found[task.id] == nil, let args = task.args, let kwargs = task.kwargs else { continue }
                scan.found[task.id] = ExactArguments(
                    args: args, kwargs: kwargs, source: .inspect, name: task.name, queue: task.queue, priority: task.priority)
            }
        }
        return scan
    }
}
