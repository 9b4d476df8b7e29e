import Actions
import Monitor

extension BackfilledTask {
    /// Reads one `unacked` hash value, `[message, exchange, routing_key]` (`docs/celery-wire.md`, "Backfill: what a late starter can read"); nil unless it is a
    /// protocol-2 task message with an id.
    ///
    /// The message is the envelope as a worker popped it: headers give id, name, retries and ETA, the
    /// base64 body the exact arguments, `properties.priority` the priority, and the routing key the
    /// queue. A held message whose ETA is later than `readAt + visibilityTimeout` will certainly be
    /// restored before its ETA (its reservation is at most `readAt` old), hence `redeliveryExpected`.
    public static func fromUnackedEntry(_ raw: [UInt8], readAt: Double, visibilityTimeout: Double) -> BackfilledTask? {
        guard let parts = RawJSON.elements(raw), let messageText = parts.first else { return nil }
        let routingKey = parts.count > 2 ? RawJSON.string(parts[2]) : nil
        guard var task = fromTaskMessage(Array(messageText.utf8), source: .unacked, readAt: readAt) else { return nil }
        if let routingKey, !routingKey.isEmpty { task.queue = routingKey }
        if let eta = task.eta, eta > readAt + visibilityTimeout { task.redeliveryExpected = true }
        return task
    }

    /// Reads a kombu task message (an envelope as LPUSHed to a queue); nil unless it has a task id.
    public static func fromTaskMessage(_ raw: [UInt8], source: TaskSource, readAt: Double) -> BackfilledTask? {
        guard let envelope = RawJSON.members(raw),
              let headers = envelope["headers"].flatMap({ RawJSON.members(Array($0.utf8)) }),
              let id = headers["id"].flatMap(RawJSON.string), !id.isEmpty
        else { return nil }
        let properties = envelope["properties"].flatMap { RawJSON.members(Array($0.utf8)) } ?? [:]
        var task = BackfilledTask(id: id, source: source, readAt: readAt)
        task.name = headers["task"].flatMap(RawJSON.string)
        task.retries = headers["retries"].flatMap(RawJSON.int)
        task.eta = headers["eta"].flatMap(RawJSON.string).flatMap(ISO8601.epoch)
        task.priority = properties["priority"].flatMap(RawJSON.int)
        task.queue = properties["delivery_info"]
            .flatMap { RawJSON.members(Array($0.utf8)) }?["routing_key"].flatMap(RawJSON.string)
        if let bodyText = envelope["body"].flatMap(RawJSON.string) {
            let encoding = properties["body_encoding"].flatMap(RawJSON.string)
            let body = encoding == "base64" ? Base64.decode(Array(bodyText.utf8)) : Array(bodyText.utf8)
            if let body, let arguments = ExactArguments.fromTaskBody(body, source: .unacked, name: nil, queue: nil, priority: nil) {
                task.args = arguments.args
                task.kwargs = arguments.kwargs
            }
        }
        return task
    }

    /// Reads a result-backend record `celery-task-meta-<id>` (`docs/celery-wire.md`, "Backfill: what a late starter can read"); nil unless it has a task id
    /// and a status. Without `result_extended` the record has no name, arguments, worker or retries.
    public static func fromResultMeta(_ raw: [UInt8], readAt: Double) -> BackfilledTask? {
        guard let members = RawJSON.members(raw),
              let id = members["task_id"].flatMap(RawJSON.string), !id.isEmpty,
              let status = members["status"].flatMap(RawJSON.string)
        else { return nil }
        var task = BackfilledTask(id: id, source: .resultBackend, readAt: readAt)
        task.state = TaskState(rawValue: status)
        task.name = members["name"].flatMap(RawJSON.string)
        task.retries = members["retries"].flatMap(RawJSON.int)
        task.worker = members["worker"].flatMap(RawJSON.string)
        task.queue = members["queue"].flatMap(RawJSON.string)
        task.dateDone = members["date_done"].flatMap(RawJSON.string).flatMap(ISO8601.epoch)
        task.traceback = members["traceback"].flatMap(RawJSON.string)
        if let arguments = ExactArguments.fromResultMeta(members: members) {
            task.args = arguments.args
            task.kwargs = arguments.kwargs
        }
        if task.state != .success, let result = members["result"] {
            task.exception = exceptionText(result)
        }
        return task
    }

    /// `{"exc_type": "ValueError", "exc_message": ["boom"], ...}` in the events' form `ValueError('boom')`.
    static func exceptionText(_ result: String) -> String? {
        guard let members = RawJSON.members(Array(result.utf8)),
              let type = members["exc_type"].flatMap(RawJSON.string)
        else { return nil }
        let message = members["exc_message"] ?? "[]"
        let parts = RawJSON.elements(Array(message.utf8)) ?? [message]
        let shown = parts.map { part -> String in
            guard let text = RawJSON.string(part) else { return part }
            return "'" + text.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
        }
        return type + "(" + shown.joined(separator: ", ") + ")"
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
