import ArgumentParser
import Firehose
import Foundation
import Launch
import Monitor
import RedisLink
import CeleryLink
import Threading

extension BenchCommand {
    /// The backfill rung: loads `resultKeys` result records (db 1) and `unackedEntries` held retries into
    /// the bench Redis, starts a storm at `rate`, subscribes, then backfills both while the storm folds;
    /// measures backfill time (to everything merged), loss, the longest Redis command (SLOWLOG at
    /// threshold 0, reset after loading) and this process's CPU time.
    func measureBackfill(url: BrokerURL, brokerText: String, resultKeys: Int, unackedEntries: Int, rate: Double) throws -> BackfillBenchmarkResult {
        note("retrytop bench: backfill of \(resultKeys) result keys and \(unackedEntries) unacked during a \(Int(saturating: rate)) ev/s storm …")
        var backend = url
        backend.db = url.db + 1
        try Self.loadBackfillData(broker: url, backend: backend, resultKeys: resultKeys, unackedEntries: unackedEntries)
        let control = RedisConnection(url: url)
        try control.connect()
        defer { control.close() }
        _ = try control.command(["CONFIG", "SET", "slowlog-log-slower-than", "0"]).checked()
        _ = try control.command(["CONFIG", "SET", "slowlog-max-len", "100000"]).checked()
        _ = try control.command(["SLOWLOG", "RESET"]).checked()

        ResourceUsage.trimHeap()
        let cpuBefore = ResourceUsage.cpuSeconds()
        var state = MonitorState(limits: MonitorLimits(maxTasks: max(200_000, shape.tasks * 2 + resultKeys + unackedEntries)))
        var link = LinkStatus()
        let known = ClientList(text: try control.clientList()).patternSubscriberIDs
        let pipeline = IngestPipeline(subscriber: EventSubscriber(configuration: .init(url: url)))
        pipeline.start()
        defer { pipeline.stop() }
        let monitorID = try waitForNewSubscriber(control: control, known: known)
        let firehose = try ChildProcess(path: Self.selfExecutable, arguments: [
            "firehose", "--broker", brokerText, "--rate", String(rate), "--batch", "1-3", "--json",
        ] + shape.arguments)
        usleep(300_000)  // the storm is under way when backfill starts

        let reader = BackfillReader(
            configuration: BackfillConfiguration(
                broker: url, resultBackend: ResultBackendLocation(url: backend, skipReason: nil),
                limit: max(resultKeys, unackedEntries) + 1, inspectTimeout: 0, queueRefresh: 0),
            clock: { Date().timeIntervalSince1970 })
        let started = MonotonicClock.now()
        reader.start()
        var backfillSeconds: Double?
        var subscriberDropped = false
        while firehose.isRunning || backfillSeconds == nil {
            usleep(20_000)
            pipeline.drain(into: &state, link: &link)
            let delivery = reader.take()
            if let status = delivery.status { link.backfill = status }
            if !delivery.tasks.isEmpty { state.mergeBackfill(delivery.tasks) }
            if backfillSeconds == nil, link.backfill.isFinished { backfillSeconds = MonotonicClock.now() - started }
            if ClientList(text: (try? control.clientList()) ?? "").client(id: monitorID) == nil { subscriberDropped = true }
            if backfillSeconds == nil, MonotonicClock.now() - started > 120 { break }
        }
        reader.stop()
        guard let line = firehose.output().split(separator: "\n").last,
              let output = try? JSONDecoder().decode(FirehoseOutput.self, from: Data(line.utf8)) else {
            throw ValidationError("the firehose failed: \(firehose.errorOutput())")
        }
        var lastProgress = MonotonicClock.now(), lastCount = -1
        while state.stats.events < output.report.events, MonotonicClock.now() - lastProgress < 2 {
            usleep(20_000)
            pipeline.drain(into: &state, link: &link)
            if state.stats.events != lastCount { (lastCount, lastProgress) = (state.stats.events, MonotonicClock.now()) }
        }
        let cpu = ResourceUsage.cpuSeconds() - cpuBefore
        let (longest, name) = try Self.longestCommand(control)
        _ = try control.command(["CONFIG", "SET", "slowlog-log-slower-than", "10000"]).checked()
        let sources = link.backfill.reports.filter { $0.phase != .skipped }.map {
            BackfillBenchmarkResult.Source(name: $0.source.rawValue, keysScanned: $0.keysScanned, tasksFound: $0.tasksFound, seconds: $0.duration)
        }
        let result = BackfillBenchmarkResult(
            resultKeys: resultKeys, unackedEntries: unackedEntries, seconds: backfillSeconds ?? .infinity, sources: sources,
            tasksMerged: state.tasks.values.reduce(0) { $0 + ($1.sources.list.contains { $0 != .events } ? 1 : 0) },
            stormTargetRate: rate, stormAchievedRate: output.report.achievedRate, publishedEvents: output.report.events,
            foldedEvents: state.stats.events, subscriberDropped: subscriberDropped, longestCommandMicroseconds: longest,
            longestCommand: name, cpuSeconds: cpu)
        note("retrytop bench:   backfill \(String(format: "%.2f", result.seconds)) s, merged \(result.tasksMerged), storm lost \(result.lostEvents), "
            + "longest command \(name) \(longest) µs, cpu \(String(format: "%.2f", cpu)) s")
        return result
    }

    /// The slowest entry of SLOWLOG (microseconds, command name).
    static func longestCommand(_ control: RedisConnection) throws -> (Int, String) {
        let entries = try control.command(["SLOWLOG", "GET", "100000"]).checked().elements ?? []
        var best = (0, "none")
        for entry in entries {
            guard let fields = entry.elements, fields.count >= 4, let micros = fields[2].integer else { continue }
            let name = fields[3].elements?.first?.text ?? "?"
            if Int(micros) > best.0 { best = (Int(micros), name) }
        }
        return best
    }

    /// Result records shaped like Celery's with `result_extended` (a third each SUCCESS, FAILURE with a
    /// traceback, RETRY) and held retries shaped like a real `unacked` entry, loaded with pipelines
    /// (docs/celery-wire.md, "`unacked`: messages workers hold").
    static func loadBackfillData(broker: BrokerURL, backend: BrokerURL, resultKeys: Int, unackedEntries: Int) throws {
        let connection = RedisConnection(url: backend)
        try connection.connect()
        defer { connection.close() }
        _ = try connection.command(["FLUSHDB"]).checked()
        let traceback = #"Traceback (most recent call last):\n  File \"/srv/venv/lib/python3.11/site-packages/celery/app/trace.py\", line 453, in trace_task\n    R = retval = fun(*args, **kwargs)\n  File \"/srv/app/tasks.py\", line 47, in fetch\n    raise ConnectionError(f'upstream refused {x}')\nConnectionError: upstream refused "#
        var batch = 0
        for index in 0..<resultKeys {
            let id = Self.benchID(index, salt: 0xbf)
            let record: String
            switch index % 3 {
            case 0:
                record = #"{"status": "SUCCESS", "result": \#(index), "traceback": null, "children": [], "date_done": "2026-12-02T10:58:43.953658+00:00", "name": "app.fetch", "args": [\#(index), "eu-west"], "kwargs": {}, "worker": "w1@vm", "retries": 0, "queue": "celery", "task_id": "\#(id)"}"#
            case 1:
                record = #"{"status": "FAILURE", "result": {"exc_type": "ConnectionError", "exc_message": ["upstream refused \#(index)"], "exc_module": "builtins"}, "traceback": "\#(traceback)\#(index)\n", "children": [], "date_done": "2026-12-02T10:59:05.287879+00:00", "name": "app.fetch", "args": [\#(index), "eu-west"], "kwargs": {"timeout": 5}, "worker": "w2@vm", "retries": 5, "queue": "celery", "task_id": "\#(id)"}"#
            default:
                record = #"{"status": "RETRY", "result": {"exc_type": "ConnectionError", "exc_message": ["upstream refused \#(index)"], "exc_module": "builtins"}, "traceback": "\#(traceback)\#(index)\n", "children": [[["\#(id)", null], null]], "date_done": null, "name": "app.fetch", "args": [\#(index), "eu-west"], "kwargs": {}, "worker": "w1@vm", "retries": 1, "queue": "celery", "task_id": "\#(id)"}"#
            }
            try connection.append(["SET", "celery-task-meta-\(id)", record])
            batch += 1
            if batch == 1_000 { try drain(connection, &batch) }
        }
        try drain(connection, &batch)

        let brokerConnection = RedisConnection(url: broker)
        try brokerConnection.connect()
        defer { brokerConnection.close() }
        _ = try brokerConnection.command(["DEL", "unacked", "unacked_index"]).checked()
        for index in 0..<unackedEntries {
            let id = Self.benchID(index, salt: 0x0a)
            let tag = Self.benchID(index, salt: 0x7a)
            let body = Data(#"[[\#(index)], {}, {"callbacks": null, "errbacks": null, "chain": null, "chord": null}]"#.utf8).base64EncodedString()
            let message = #"{"body": "\#(body)", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": "py", "task": "app.backoff", "id": "\#(id)", "shadow": null, "eta": "2026-12-02T10:59:01.952093+00:00", "expires": null, "group": null, "group_index": null, "retries": 1, "timelimit": [null, null], "root_id": "\#(id)", "parent_id": "\#(id)", "argsrepr": "(\#(index),)", "kwargsrepr": "{}", "origin": "gen28939@vm", "ignore_result": false, "replaced_task_nesting": 0, "stamped_headers": null, "stamps": {}}, "properties": {"correlation_id": "\#(id)", "reply_to": "72f5d045-a928-31de-89d8-133a65254832", "origin": "gen28939@vm", "delivery_mode": 2, "delivery_info": {"exchange": "", "routing_key": "celery"}, "priority": 0, "body_encoding": "base64", "delivery_tag": "\#(tag)"}}"#
            try brokerConnection.append(["HSET", "unacked", tag, "[\(message), \"\", \"celery\"]"])
            batch += 1
            if batch == 1_000 { try drain(brokerConnection, &batch) }
        }
        try drain(brokerConnection, &batch)
    }

    private static func drain(_ connection: RedisConnection, _ pending: inout Int) throws {
        for _ in 0..<pending { _ = try connection.getReply().checked() }
        pending = 0
    }

    /// A deterministic uuid-shaped id.
    static func benchID(_ index: Int, salt: UInt8) -> String {
        let hex = String(format: "%08x", index)
        return "\(hex)-\(String(format: "%02x", salt))bf-4000-8000-0000\(hex)"
    }
}
