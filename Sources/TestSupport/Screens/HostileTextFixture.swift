import Monitor

/// Task names, a host name, args and exceptions full of grapheme clusters whose terminal width is
/// uncertain (ZWJ sequences, flags, VS16, skin tones, tag sequences, keycaps, stacked combining
/// marks), laid over the storm fixture for the golden screens that prove the grid holds.
///
/// Fixed ids and times relative to `StormFixture.now`, so the screens are deterministic.
public enum HostileTextFixture {
    public static let worker = "celery@🇩🇪-büro-👨‍👩‍👧"
    public static let retryingID = "f00dface-2e5f-4c1a-9f00-0000000000a1"
    public static let activeID = "beefcafe-2e5f-4c1a-9f00-0000000000a2"
    public static let failedID = "deadbeef-2e5f-4c1a-9f00-0000000000a3"
    public static let zalgo = "Z̷̢̛a̸͓͝l̵̨͠g̶̛͜o̷͎͊"

    /// The events, all at or before `StormFixture.now`.
    public static func events() -> [CeleryEvent] {
        var host = EventBuilder(worker: worker, clock: 0, time: StormFixture.now - 40)
        var events: [CeleryEvent] = [
            host.make(.workerOnline, nil, after: 0) { $0.freq = 2 },
        ]
        events.append(contentsOf: task(retryingID, name: "tasks.notify_👨‍👩‍👧_family", args: "('👍🏽 ok', '🇺🇸🇯🇵', 'I ❤️ it')", on: &host))
        events.append(host.retried(retryingID, "ValueError('\(zalgo) says 1️⃣ ❤️ 🇺🇸')", after: 0.3))
        events.append(host.received(retryingID, name: "tasks.notify_👨‍👩‍👧_family", retries: 1, eta: StormFixture.now + 0.6,
                                    args: "('👍🏽 ok', '🇺🇸🇯🇵', 'I ❤️ it')"))
        events.append(contentsOf: task(activeID, name: "tasks.send_🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}_report",
                                       args: "('मनीष कुमार', '🧑🏽‍💻', '\(zalgo)')", on: &host))
        events.append(contentsOf: task(failedID, name: "tasks.ｆｕｌｌ_任务_✔️", args: "('☺︎', 'e\u{301}\u{302}\u{303}')", on: &host))
        events.append(host.failed(failedID, "KeyError('👩‍🚀 \(zalgo)')", after: 0.2))
        events.append(host.heartbeat(active: 1, processed: 3, after: StormFixture.now - 1 - host.time))
        return events
    }

    /// Sent, received and started: the task is running until a later event says otherwise.
    static func task(_ id: String, name: String, args: String, on host: inout EventBuilder) -> [CeleryEvent] {
        var producer = EventBuilder(worker: "producer@app-1", clock: 0, time: host.time)
        let sent = producer.make(.taskSent, id, after: 0) {
            $0.name = name
            $0.args = args
            $0.kwargs = "{'note': '🔥'}"
            $0.queue = "celery"
            $0.routingKey = "celery"
            $0.retries = 0
            $0.rootID = id
        }
        return [sent, host.received(id, name: name, args: args), host.started(id, after: 0.1)]
    }
}
