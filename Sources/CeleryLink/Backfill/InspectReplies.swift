import Monitor
import RedisLink

/// Reads `inspect active`, `reserved`, `scheduled` and `revoked` replies (`{nodename: result}`) as
/// backfilled tasks: which worker holds which task, since when, with its exact arguments; and the ids the
/// workers will discard (docs/celery-wire.md, "Inspect replies: what workers hold, with exact arguments").
///
/// Why: one reader for backfill and for requeue's argument search (`ArgumentFinder`). Inspect replies
/// carry real JSON args and kwargs but no `retries`; `scheduled` wraps the request as
/// `{"eta", "priority", "request"}` where `priority` is the timer's, not the message's (the message
/// priority is `request.delivery_info.priority`); `time_start` is set only in `active`. Pure.
public enum InspectReplies {
    /// The methods backfill asks, in order.
    public static let methods: [ControlMessage] = [.active, .reserved, .scheduled, .revoked]

    /// The tasks in the replies to `message`, nodes in name order; entries that are not a request with an
    /// id (or, for `revoked`, not an id) are counted in `malformed`.
    public static func tasks(_ message: ControlMessage, replies: [String: JSONValue], readAt: Double) -> (tasks: [BackfilledTask], malformed: Int) {
        var found: [BackfilledTask] = []
        var malformed = 0
        for node in replies.keys.sorted() {
            guard let items = replies[node]?.arrayValue else {
                malformed += 1  // e.g. {"error": "..."} from a worker that does not know the method
                continue
            }
            for item in items {
                if message == .revoked {
                    if let id = item.stringValue, !id.isEmpty { found.append(.revokedByWorkers(id, readAt: readAt)) } else { malformed += 1 }
                    continue
                }
                if let task = task(item, node: node, readAt: readAt) { found.append(task) } else { malformed += 1 }
            }
        }
        return (found, malformed)
    }

    /// One `active`/`reserved` request, or one `scheduled` entry wrapping it.
    static func task(_ item: JSONValue, node: String, readAt: Double) -> BackfilledTask? {
        let request = item["request"] ?? item
        guard let id = request["id"]?.stringValue, !id.isEmpty else { return nil }
        var task = BackfilledTask(id: id, source: .inspect, readAt: readAt)
        task.name = request["name"]?.stringValue ?? request["type"]?.stringValue
        if let args = request["args"], args.arrayValue != nil, let kwargs = request["kwargs"], kwargs.objectValue != nil {
            task.args = args.jsonString
            task.kwargs = kwargs.jsonString
        }
        let info = request["delivery_info"]
        task.queue = info?["routing_key"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        task.priority = info?["priority"]?.intValue.map { Int(clamping: $0) }
        task.worker = request["hostname"]?.stringValue ?? node
        if let started = request["time_start"]?.doubleValue, started.isFinite, started > 0 { task.started = started }
        task.eta = item["eta"]?.stringValue.flatMap(ISO8601.epoch)
        return task
    }
}
