/// One decoded event as one JSON line, with Celery's own field names (what `retrytop events` prints).
///
/// `eta` and `expires` are epoch seconds, like every time retrytop writes; `EventDecoder.decodeBody`
/// reads these lines back, which is how `retrytop replay` plays a recording.
public enum EventLine {
    public static func render(_ event: CeleryEvent) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.string("type", event.kind.rawValue)
        json.string("hostname", event.hostname)
        json.number("timestamp", event.timestamp)
        json.int("clock", event.clock)
        if let pid = event.pid { json.int("pid", pid) }
        if let value = event.taskID { json.string("uuid", value) }
        if let value = event.name { json.string("name", value) }
        if let value = event.args { json.string("args", value) }
        if let value = event.kwargs { json.string("kwargs", value) }
        if let value = event.retries { json.int("retries", value) }
        if let value = event.eta { json.number("eta", value) }
        if let value = event.expires { json.number("expires", value) }
        if let value = event.rootID { json.string("root_id", value) }
        if let value = event.parentID { json.string("parent_id", value) }
        if let value = event.queue { json.string("queue", value) }
        if let value = event.exchange { json.string("exchange", value) }
        if let value = event.routingKey { json.string("routing_key", value) }
        if let value = event.result { json.string("result", value) }
        if let value = event.runtime { json.number("runtime", value) }
        if let value = event.exception { json.string("exception", value) }
        if let value = event.traceback { json.string("traceback", value) }
        if let value = event.terminated { json.bool("terminated", value) }
        if let value = event.signum { json.int("signum", value) }
        if let value = event.expired { json.bool("expired", value) }
        if let value = event.requeue { json.bool("requeue", value) }
        if let value = event.freq { json.number("freq", value) }
        if let value = event.active { json.int("active", value) }
        if let value = event.processed { json.int("processed", value) }
        if let value = event.loadavg {
            json.beginArray("loadavg")
            for load in value { json.number(nil, load) }
            json.endArray()
        }
        if let value = event.swIdent { json.string("sw_ident", value) }
        if let value = event.swVersion { json.string("sw_ver", value) }
        if let value = event.swSystem { json.string("sw_sys", value) }
        json.endObject()
        return json.output
    }
}
