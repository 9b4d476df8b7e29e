import Actions
import AuditFile
import CeleryLink
import Foundation
import Monitor
import RedisLink
import TestSupport
import Testing

/// Revoke, terminate and requeue against a real redis-server and real Celery 5.7 workers, through
/// `retrytop revoke|requeue` and the `ActionExecutor` the dashboard keys call.
@Suite(.serialized) struct ActionsCeleryTests {
    // MARK: - Helpers

    /// The folded model, fed by a real `IngestPipeline` on a background thread.
    final class Model: @unchecked Sendable {
        private let pipeline: IngestPipeline
        private let lock = NSLock()
        private var state = MonitorState()
        private var link = LinkStatus()
        private var running = true
        private let done = DispatchSemaphore(value: 0)

        init(broker: String) throws {
            let url = try BrokerURL(parsing: broker)
            pipeline = IngestPipeline(subscriber: EventSubscriber(configuration: .init(url: url)))
            pipeline.start()
            Thread { [self] in
                while lock.withLock({ running }) {
                    usleep(20_000)
                    lock.withLock { pipeline.drain(into: &state, link: &link) }
                }
                done.signal()
            }.start()
        }

        func task(_ id: String) -> TaskRecord? { lock.withLock { state.tasks[id] } }
        func withState<T>(_ body: (inout MonitorState) -> T) -> T { lock.withLock { body(&state) } }

        func waitFor(_ what: String, timeout: Duration = .seconds(30), _ condition: (MonitorState) -> Bool) async throws {
            let deadline = ContinuousClock.now + timeout
            while !lock.withLock({ condition(state) }) {
                if ContinuousClock.now > deadline { throw HarnessError("model: timed out waiting for \(what)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        func stop() {
            lock.withLock { running = false }
            done.wait()
            pipeline.stop()
        }
    }

    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-act-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func retrytop(_ arguments: [String], timeout: Duration = .seconds(90)) async throws -> ProcessResult {
        try await ProcessRunner.run(
            RepoPaths.retrytopBinary.path, arguments, unsetting: ["CELERY_RESULT_BACKEND", "CELERY_BROKER_URL"], timeout: timeout)
    }

    static func json(_ text: String) throws -> [String: Any] {
        let line = try #require(text.split(separator: "\n").last, "no output")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(text.prefix(400))")
    }

    static func waitForFile(_ url: URL, timeout: Duration = .seconds(30)) async throws -> Data {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let data = try? Data(contentsOf: url), !data.isEmpty { return data }
            if ContinuousClock.now > deadline { throw HarnessError("no file \(url.path) after \(timeout)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func resultStatus(_ backend: String, _ id: String) throws -> String? {
        let client = ControlClient(url: try BrokerURL(parsing: backend))
        defer { client.close() }
        guard let meta = try client.get("celery-task-meta-\(id)") else { return nil }
        return try JSONValue.parse(meta)["status"]?.stringValue
    }

    static func waitForStatus(_ backend: String, _ ids: [String], _ status: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        var pending = Set(ids)
        while !pending.isEmpty {
            pending = pending.filter { (try? resultStatus(backend, $0)) != status }
            if pending.isEmpty { break }
            if ContinuousClock.now > deadline { throw HarnessError("\(pending.count) tasks not \(status) after \(timeout)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Nested JSON with every awkward kind of value; kwargs carry fail=True so demo.echo fails permanently.
    static let nestedArgs = #"[1, "it's \"quoted\"", [2.5, -0.0, 1e+20, [null, true, false]], {"k": [1, {"deep": {"deeper": ["x"]}}]}, "C:\\path\\n", "h\u00e9llo \u2713"]"#
    static let nestedKwargs = #"{"fail": true, "nested": {"list": [1, [2, [3, [4]]]], "s": "a 'b' \"c\""}, "f": 0.1, "none": null}"#

    // MARK: - Revoke

    @Test(.timeLimit(.minutes(2))) func revokingATaskInBackoffDiscardsItAndTheModelShowsRevoked() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "rv")
        defer { worker.kill() }
        let model = try Model(broker: redis.url)
        defer { model.stop() }
        try await Task.sleep(for: .milliseconds(500))
        let id = try await CeleryCall(brokerURL: redis.url).sendOne("demo.slow_fixed_retry", args: "[3]")
        try await model.waitFor("RETRY") { $0.tasks[id]?.state == .retry }
        let audit = try Self.temporaryDirectory("rv").appendingPathComponent("audit.log")
        let result = try await Self.retrytop(["revoke", id, "--broker", redis.url, "--audit-log", audit.path])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try Self.json(result.stdout)
        #expect(output["action"] as? String == "revoke" && output["receivers"] as? Int == 1)
        let reply = (output["replies"] as? [String: String])?.values.first
        #expect(reply?.contains("flagged as revoked") == true, "\(output)")
        model.withState { $0.markRevokeSent([id], at: Date().timeIntervalSince1970) }
        #expect(model.task(id)?.revokeSentAt != nil)
        // At the ETA (20 s after the failure) the worker discards it.
        try await worker.waitForLog("Discarding revoked task", timeout: .seconds(40))
        try await model.waitFor("REVOKED", timeout: .seconds(10)) { $0.tasks[id]?.state == .revoked }
        let task = try #require(model.task(id))
        #expect(task.revocation?.terminated == false && task.revokeSentAt == nil)
        #expect(task.attempts.count == 2, "one failed run and the discarded retry: \(task.attempts.map(\.outcome))")
        try await Task.sleep(for: .seconds(2))
        // Exactly the one run before the revoke: no second retry, no success.
        let log = worker.log()
        #expect(log.components(separatedBy: "demo.slow_fixed_retry[\(id)] retry:").count == 2, "it ran again")
        #expect(!log.contains("demo.slow_fixed_retry[\(id)] succeeded"))
        #expect(model.task(id)?.state == .revoked)
        let line = try String(contentsOf: audit, encoding: .utf8)
        #expect(line.contains("\"action\":\"revoke\"") && line.contains(id) && !line.contains("password"))
    }

    @Test(.timeLimit(.minutes(2))) func terminatingARunningTaskStopsIt() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "tm")
        defer { worker.kill() }
        let model = try Model(broker: redis.url)
        defer { model.stop() }
        try await Task.sleep(for: .milliseconds(500))
        let id = try await CeleryCall(brokerURL: redis.url).sendOne("demo.long_task", args: "[30]")
        try await model.waitFor("STARTED") { $0.tasks[id]?.state == .started }
        let started = Date()
        let result = try await Self.retrytop([
            "revoke", id, "--terminate", "--signal", "TERM", "--broker", redis.url, "--audit-log", "/dev/null",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.json(result.stdout)["signal"] as? String == "SIGTERM")
        try await model.waitFor("task-revoked terminated", timeout: .seconds(10)) { $0.tasks[id]?.revocation != nil }
        let task = try #require(model.task(id))
        #expect(task.state == .revoked && task.revocation?.terminated == true && task.revocation?.signum == 15)
        #expect(Date().timeIntervalSince(started) < 10, "stopped long before its 30 s")
        try await worker.waitForLog("Terminating \(id)", timeout: .seconds(5))
        try await Task.sleep(for: .seconds(1))
        #expect(model.task(id)?.state == .revoked)
    }

    // MARK: - Requeue

    @Test(.timeLimit(.minutes(2))) func requeueFromTheResultBackendSendsIdenticalNestedArguments() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let effects = try Self.temporaryDirectory("rb")
        let backend = redis.url(db: 1)
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: redis.url, name: "rb", resultBackendURL: backend, resultExtended: true, sideEffectDirectory: effects)
        defer { worker.kill() }
        let id = try await CeleryCall(brokerURL: redis.url, resultBackendURL: backend).sendOne("demo.echo", args: Self.nestedArgs, kwargs: Self.nestedKwargs)
        try await Self.waitForStatus(backend, [id], "FAILURE")
        let original = try await Self.waitForFile(effects.appendingPathComponent("\(id).json"))

        let audit = effects.appendingPathComponent("audit.log")
        let dry = try await Self.retrytop(["requeue", id, "--dry-run", "--broker", redis.url, "--result-backend", backend, "--audit-log", audit.path])
        #expect(dry.status == 0, "\(dry.stderr)")
        let preview = try Self.json(dry.stdout)
        #expect(preview["would_send"] as? Int == 1 && (preview["sources"] as? [String: Int])?["result_backend"] == 1)
        #expect(!FileManager.default.fileExists(atPath: audit.path), "a dry run is not audited")

        let result = try await Self.retrytop(["requeue", id, "--broker", redis.url, "--result-backend", backend, "--audit-log", audit.path])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try Self.json(result.stdout)
        let task = try #require((output["tasks"] as? [[String: Any]])?.first)
        #expect(task["status"] as? String == "sent" && task["source"] as? String == "result_backend" && task["name"] as? String == "demo.echo")
        let newID = try #require(task["new_id"] as? String)
        #expect(newID != id)
        let copy = try await Self.waitForFile(effects.appendingPathComponent("\(newID).json"))
        #expect(copy == original, "\(String(decoding: copy, as: UTF8.self)) vs \(String(decoding: original, as: UTF8.self))")
        try await Self.waitForStatus(backend, [newID], "FAILURE")
        let log = try String(contentsOf: audit, encoding: .utf8)
        #expect(log.contains("\"action\":\"requeue\"") && log.contains("\"\(id)\":\"\(newID)\"") && log.contains("result_backend=1"))
    }

    @Test(.timeLimit(.minutes(2))) func requeueFromACompleteEventReprThroughTheExecutor() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let effects = try Self.temporaryDirectory("repr")
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "rp", sideEffectDirectory: effects)
        defer { worker.kill() }
        let model = try Model(broker: redis.url)
        defer { model.stop() }
        try await Task.sleep(for: .milliseconds(500))
        // Within saferepr's three levels, so the repr is complete.
        let args = #"[1, "it's \"quoted\"", [2.5, -0.0, 1e+20, {"a": null}], true, "C:\\dir\\n", "h\u00e9llo \u2713"]"#
        let kwargs = #"{"fail": true, "n": {"x": [1, 2.25]}, "s": "a 'b' \"c\"", "none": null, "f": false}"#
        let id = try await CeleryCall(brokerURL: redis.url).sendOne("demo.echo", args: args, kwargs: kwargs)
        try await model.waitFor("FAILURE") { $0.tasks[id]?.state == .failure }
        let original = try await Self.waitForFile(effects.appendingPathComponent("\(id).json"))
        let record = try #require(model.task(id))

        let executor = ActionExecutor.connect(
            url: try BrokerURL(parsing: redis.url), options: .default,
            resultBackend: ResultBackendLocation.resolve(flag: nil, environment: [:]),
            configuration: .init(auditTrail: AuditLog(path: effects.appendingPathComponent("audit.log").path)))
        let preview = try executor.previewRequeue(RequeueRequest(subjects: [RequeueSubject(record: record)]))
        let plan = try #require(preview.plans.first, "refused: \(preview.refusals)")
        #expect(plan.source == .eventRepr && plan.queue == "celery" && plan.name == "demo.echo")
        let run = try executor.startRequeue(preview, pace: .unpaced)
        #expect(run.wait(timeout: 10))
        let progress = run.progress
        #expect(progress.sent == 1 && progress.done == 1 && progress.finished && !progress.aborted)
        let link = try #require(progress.links.first)
        model.withState { $0.linkRequeue(original: link.original, copy: link.copy, name: plan.name, at: Date().timeIntervalSince1970) }
        #expect(model.task(id)?.requeuedAs == link.copy && model.task(link.copy)?.requeueOf == id)
        let copy = try await Self.waitForFile(effects.appendingPathComponent("\(link.copy).json"))
        #expect(copy == original, "\(String(decoding: copy, as: UTF8.self)) vs \(String(decoding: original, as: UTF8.self))")
        try await model.waitFor("the copy fails too") { $0.tasks[link.copy]?.state == .failure }
        #expect(model.task(link.copy)?.args == record.args && model.task(link.copy)?.kwargs == record.kwargs)
    }

    @Test(.timeLimit(.minutes(2))) func truncatedReprIsRefusedUntilTheResultBackendHasTheArguments() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let effects = try Self.temporaryDirectory("trunc")
        let backend = redis.url(db: 1)
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: redis.url, name: "tr", resultBackendURL: backend, resultExtended: true, sideEffectDirectory: effects)
        defer { worker.kill() }
        let model = try Model(broker: redis.url)
        defer { model.stop() }
        try await Task.sleep(for: .milliseconds(500))
        let long = String(repeating: "0123456789", count: 200)
        let id = try await CeleryCall(brokerURL: redis.url, resultBackendURL: backend).sendOne("demo.echo", args: "[\"\(long)\"]", kwargs: #"{"fail": true}"#)
        try await model.waitFor("FAILURE") { $0.tasks[id]?.state == .failure }
        let record = try #require(model.task(id))
        #expect(record.args?.count == 1031)

        // No exact source: the repr is cut, so the requeue is refused with the way out.
        let snapshot = effects.appendingPathComponent("snapshot.json")
        let document = model.withState { SnapshotDocument.render($0, link: LinkStatus(), now: Date().timeIntervalSince1970, includeTracebacks: false) }
        try document.write(to: snapshot, atomically: true, encoding: .utf8)
        let refused = try await Self.retrytop(["requeue", id, "--broker", redis.url, "--snapshot", snapshot.path, "--audit-log", effects.appendingPathComponent("a.log").path])
        #expect(refused.status != 0)
        let refusal = try #require((try Self.json(refused.stdout)["tasks"] as? [[String: Any]])?.first)
        #expect(refusal["status"] as? String == "refused")
        let detail = refusal["detail"] as? String ?? ""
        #expect(detail.contains("truncated") && detail.contains("result_extended=True") && detail.contains("--result-backend"), "\(detail)")
        #expect(detail.contains("result_backend: skipped"), "\(detail)")
        #expect(refused.stderr.contains("1 refused"))
        for key in PriorityBucket.allKeys(queue: "celery") {
            #expect(try ControlClient(url: try BrokerURL(parsing: redis.url)).llen(key: key) == 0)
        }

        // With result_extended and the backend given, it is requeued exactly.
        let sent = try await Self.retrytop(["requeue", id, "--broker", redis.url, "--snapshot", snapshot.path, "--result-backend", backend, "--audit-log", effects.appendingPathComponent("a.log").path])
        #expect(sent.status == 0, "\(sent.stderr)")
        let task = try #require((try Self.json(sent.stdout)["tasks"] as? [[String: Any]])?.first)
        #expect(task["source"] as? String == "result_backend")
        let newID = try #require(task["new_id"] as? String)
        let original = try await Self.waitForFile(effects.appendingPathComponent("\(id).json"))
        let copy = try await Self.waitForFile(effects.appendingPathComponent("\(newID).json"))
        #expect(copy == original && copy.count > 2000)
    }

    @Test(.timeLimit(.minutes(4))) func pacedBulkRequeueOf200FailedTasksSendsEachOnceAtThePace() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let effects = try Self.temporaryDirectory("bulk")
        let backend = redis.url(db: 1)
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: redis.url, name: "bk", concurrency: 4, resultBackendURL: backend, resultExtended: true, sideEffectDirectory: effects)
        defer { worker.kill() }
        let celery = CeleryCall(brokerURL: redis.url, resultBackendURL: backend)
        let ids = try await celery.send("demo.echo", args: #"[7, "bulk", {"n": [1, 2]}]"#, kwargs: #"{"fail": true}"#, count: 200, timeout: .seconds(120))
        try await Self.waitForStatus(backend, ids, "FAILURE", timeout: .seconds(120))
        let audit = effects.appendingPathComponent("audit.log")
        // The ids twice: each is still sent once.
        let result = try await Self.retrytop(
            ["requeue"] + ids + ids.prefix(20) + ["--rate", "50", "--jitter", "0.2", "--broker", redis.url, "--result-backend", backend, "--audit-log", audit.path],
            timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let output = try Self.json(result.stdout)
        #expect(output["sent"] as? Int == 200 && output["refused"] as? Int == 0 && output["failed"] as? Int == 0)
        let seconds = try #require(output["sending_seconds"] as? Double)
        // 199 intervals of 20 ms on average.
        #expect(abs(seconds - 3.98) < 0.6, "200 messages at 50/s took \(seconds) s")
        let tasks = try #require(output["tasks"] as? [[String: Any]])
        let newIDs = tasks.compactMap { $0["new_id"] as? String }
        #expect(Set(tasks.compactMap { $0["id"] as? String }) == Set(ids))
        #expect(Set(newIDs).count == 200 && Set(newIDs).isDisjoint(with: ids))
        try await Self.waitForStatus(backend, newIDs, "FAILURE", timeout: .seconds(120))
        let files = try FileManager.default.contentsOfDirectory(atPath: effects.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 400)
        let log = worker.log()
        for newID in newIDs {
            #expect(log.components(separatedBy: "demo.echo[\(newID)] received").count == 2, "\(newID) not received exactly once")
        }
        // Written ahead: the intent with every new id, one record per message before it was pushed, the result.
        let auditLines = try String(contentsOf: audit, encoding: .utf8).split(separator: "\n")
        #expect(auditLines.count == 202 && auditLines.first?.contains("\"phase\":\"intent\"") == true)
        #expect(auditLines.filter { $0.contains("\"phase\":\"send\"") }.count == 200 && auditLines.last?.contains("\"phase\":\"result\"") == true)
        #expect(newIDs.allSatisfy { id in auditLines.first?.contains(id) == true && auditLines.last?.contains(id) == true })
        FileHandle.standardError.write(Data("bulk requeue: 200 messages at 50/s jitter 0.2 in \(seconds) s\n".utf8))

        // Repair once: the same bulk requeue again sends nothing; each task is listed as already requeued.
        let again = try await Self.retrytop(
            ["requeue"] + ids + ["--broker", redis.url, "--result-backend", backend, "--audit-log", audit.path], timeout: .seconds(120))
        let second = try Self.json(again.stdout)
        #expect(second["sent"] as? Int == 0, "\(again.stdout.suffix(1000))")
        let skipped = (second["tasks"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "already_requeued" }
        #expect(skipped.count == 200, "\(again.stdout.suffix(1000))")
        try await Task.sleep(for: .seconds(1))
        let received = worker.log().components(separatedBy: "] received").count - 1
        #expect(received == 400, "a second bulk requeue must send nothing (\(received) receipts)")
    }

    @Test(.timeLimit(.minutes(1))) func readOnlySendsNothing() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let id = UUID().uuidString.lowercased()
        let audit = try Self.temporaryDirectory("ro").appendingPathComponent("audit.log")
        for arguments in [["requeue", id], ["revoke", id], ["revoke", id, "--terminate"]] {
            let result = try await Self.retrytop(arguments + ["--read-only", "--broker", redis.url, "--audit-log", audit.path])
            #expect(result.status != 0)
            #expect(result.stderr.contains("read-only mode"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let client = ControlClient(url: try BrokerURL(parsing: redis.url))
        for key in PriorityBucket.allKeys(queue: "celery") { #expect(try client.llen(key: key) == 0) }
        #expect(!FileManager.default.fileExists(atPath: audit.path))
        // The executor itself refuses too, whatever the caller.
        let executor = ActionExecutor.connect(
            url: try BrokerURL(parsing: redis.url), options: .default, resultBackend: ResultBackendLocation(url: nil, skipReason: "none"),
            configuration: .init(readOnly: true))
        #expect(throws: ActionError.readOnly) { try executor.revoke(RevokeRequest(ids: [id])) }
        #expect(throws: ActionError.readOnly) { try executor.startRequeue(RequeuePreview(), pace: .default) }
    }

    @Test(.timeLimit(.minutes(1))) func retryPoliciesComeFromTheWorkers() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let worker = try await CeleryWorkerProcess.start(brokerURL: redis.url, name: "rg")
        defer { worker.kill() }
        let executor = ActionExecutor.connect(
            url: try BrokerURL(parsing: redis.url), options: .default, resultBackend: ResultBackendLocation(url: nil, skipReason: "none"),
            configuration: .init())
        let policies = try executor.discoverRetryPolicies(timeout: 1.5)
        #expect(policies["demo.slow_fixed_retry"] == RetryPolicy(maxRetries: 4, defaultRetryDelay: 20, autoretryFor: ["demo_tasks.FlakyError"]))
        let api = try #require(policies["demo.fetch_api_data"])
        #expect(api.maxRetries == 5 && api.retryBackoff == 1 && api.retryBackoffMax == 60 && api.retryJitter)
        #expect(api.attemptLabel(retries: 5) == "attempt 6/6" && api.isLastAttempt(retries: 5))
    }
}
