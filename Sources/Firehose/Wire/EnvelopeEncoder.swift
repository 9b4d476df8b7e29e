import Monitor

/// Writes storm messages in Celery's exact wire format (`docs/celery-wire.md`, "Envelopes"): the event body as `json.dumps`
/// writes it, base64-encoded inside a kombu envelope.
///
/// Field order and `null`s follow what Celery 5.7 sends per event type, so a peer parsing with Python's
/// `json` and retrytop's byte scanner see the same text a real worker would publish.
public enum EnvelopeEncoder {
    /// The full kombu envelope for a message.
    public static func envelope(_ message: StormMessage) -> [UInt8] {
        let body = body(message)
        var writer = WireWriter(capacity: body.count * 4 / 3 + 400)
        writer.raw("{\"body\": \"")
        writer.base64(body)
        writer.raw("\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/json\", \"headers\": {\"hostname\": ")
        writer.string(message.hostname)
        writer.raw("}, \"properties\": {\"delivery_mode\": 1, \"delivery_info\": {\"exchange\": \"celeryev\", \"routing_key\": ")
        writer.string(message.routingKey)
        writer.raw("}, \"priority\": 0, \"body_encoding\": \"base64\", \"delivery_tag\": ")
        writer.string(message.deliveryTag)
        writer.raw("}}")
        return writer.bytes
    }

    /// The JSON body: an array of events for `task.multi`, one object otherwise.
    public static func body(_ message: StormMessage) -> [UInt8] {
        var writer = WireWriter()
        if message.isArray {
            writer.raw("[")
            for (index, event) in message.events.enumerated() {
                if index > 0 { writer.raw(", ") }
                write(event, to: &writer)
            }
            writer.raw("]")
        } else if let event = message.events.first {
            write(event, to: &writer)
        }
        return writer.bytes
    }

    static func write(_ event: CeleryEvent, to writer: inout WireWriter) {
        writer.raw("{")
        writer.key("hostname", first: true)
        writer.string(event.hostname)
        writer.key("utcoffset")
        writer.double(event.utcoffset ?? 0)
        writer.key("pid")
        writer.int(event.pid)
        writer.key("clock")
        writer.int(event.clock)
        if event.kind.isTaskEvent {
            writer.key("uuid")
            writer.string(event.taskID)
        }
        switch event.kind {
        case .taskReceived, .taskSent:
            writer.key("name"); writer.string(event.name)
            writer.key("args"); writer.string(event.args)
            writer.key("kwargs"); writer.string(event.kwargs)
            writer.key("root_id"); writer.string(event.rootID)
            writer.key("parent_id"); writer.string(event.parentID)
            writer.key("retries"); writer.int(event.retries)
            writer.key("eta"); writer.string(event.eta.map { ISO8601.format($0) })
            writer.key("expires"); writer.string(event.expires.map { ISO8601.format($0) })
            if event.kind == .taskSent {
                // A producer's task-sent also names where the message went (`docs/celery-wire.md`, "Event batches and fields").
                writer.key("queue"); writer.string(event.queue)
                writer.key("exchange"); writer.string(event.exchange)
                writer.key("routing_key"); writer.string(event.routingKey)
            }
        case .taskSucceeded:
            writer.key("result"); writer.string(event.result)
            writer.key("runtime"); writer.double(event.runtime)
        case .taskFailed, .taskRetried:
            writer.key("exception"); writer.string(event.exception)
            writer.key("traceback"); writer.string(event.traceback)
        case .taskRevoked:
            writer.key("terminated"); writer.bool(event.terminated ?? false)
            writer.key("signum"); writer.int(event.signum)
            writer.key("expired"); writer.bool(event.expired ?? false)
        case .taskRejected:
            writer.key("requeue"); writer.bool(event.requeue ?? false)
        case .workerOnline, .workerHeartbeat, .workerOffline:
            writer.key("freq"); writer.double(event.freq)
            if let active = event.active { writer.key("active"); writer.int(active) }
            if let processed = event.processed { writer.key("processed"); writer.int(processed) }
            if let loadavg = event.loadavg {
                writer.key("loadavg")
                writer.raw("[")
                for (index, value) in loadavg.enumerated() {
                    if index > 0 { writer.raw(", ") }
                    writer.double(value)
                }
                writer.raw("]")
            }
            writer.key("sw_ident"); writer.string(event.swIdent)
            writer.key("sw_ver"); writer.string(event.swVersion)
            writer.key("sw_sys"); writer.string(event.swSystem)
        case .taskStarted:
            break
        }
        writer.key("timestamp")
        writer.double(event.timestamp)
        writer.key("type")
        writer.string(event.kind.rawValue)
        writer.raw("}")
    }
}
