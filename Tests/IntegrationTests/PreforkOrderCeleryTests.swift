import Foundation
import Monitor
import Testing
import TestSupport

/// Real prefork workers producing the orders of docs/celery-wire.md ("Ordering rules"): immediate retries
/// on two workers with two pool processes each, a plain revoke of a running task that then retries, and a
/// terminate. The events are recorded with `retrytop events` and folded; every task's state and attempts
/// must match what the tasks themselves wrote to a side file (`demo/demo_tasks.py`, `_record_attempt`).
@Suite(.serialized) struct PreforkOrderCeleryTests {
    /// One line of the side file: an attempt (`retries`) of task `id` on `hostname` reached `phase`.
    struct Record: Decodable {
        var id: String
        var retries: Int
        var hostname: String
        var phase: String
    }

    static func records(in directory: URL) throws -> [Record] {
        let text = try String(contentsOf: directory.appendingPathComponent("attempts.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Record.self, from: Data($0.utf8)) }
    }

    /// Folds a `retrytop events` recording (one JSON event per line) the way `retrytop replay` reads it.
    static func fold(recording: URL) throws -> (state: MonitorState, link: LinkStatus) {
        let decoder = EventDecoder()
        var state = MonitorState()
        var link = LinkStatus()
        let text = try String(contentsOf: recording, encoding: .utf8)
        for line in text.split(separator: "\n") {
            var events: [CeleryEvent] = []
            decoder.decodeBody(json: Array(line.utf8), into: &events, stats: &link.decodeStats)
            state.apply(events)
        }
        return (state, link)
    }

    static func waitFor(_ timeout: Duration, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? condition()) == true { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test(.timeLimit(.minutes(3))) func foldMatchesWhatPreforkWorkersDid() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let broker = redis.url(db: 0)
        let side = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-prefork-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: side, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: side) }
        let recording = side.appendingPathComponent("events.jsonl")
        let recorder = try BackgroundProcess(
            executable: RepoPaths.retrytopBinary.path, arguments: ["events", "--broker", broker, "--for", "40"],
            outputFile: recording, errorFile: side.appendingPathComponent("events.stderr"))
        defer { recorder.kill() }
        let w1 = try await CeleryWorkerProcess.start(brokerURL: broker, name: "w1", concurrency: 2, sideEffectDirectory: side)
        defer { w1.kill() }
        let w2 = try await CeleryWorkerProcess.start(brokerURL: broker, name: "w2", concurrency: 2, sideEffectDirectory: side)
        defer { w2.kill() }
        let celery = CeleryCall(brokerURL: broker)

        // 30 tasks that retry three times with countdown=0, then succeed, sent 0.3 s apart so that a retry
        // message finds a free pool process at once (as in docs/celery-wire.md's recording).
        let script = """
            import time
            from demo_tasks import immediate_retry
            for _ in range(30):
                print(immediate_retry.delay(3).id, flush=True)
                time.sleep(0.3)
            """
        let immediate = try await celery.python(script).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        #expect(immediate.count == 30)
        // A task that sleeps 3 s then retries, revoked (plain) while it sleeps: its retry message is discarded.
        let slow = try await celery.sendOne("demo.slow_immediate_retry", args: "[3]")
        #expect(try await Self.waitFor(.seconds(20)) { try Self.records(in: side).contains { $0.id == slow && $0.phase == "start" } })
        _ = try await celery.python("import sys\nfrom demo_tasks import app\napp.control.revoke(sys.argv[1])", arguments: [slow])
        // A long task terminated while it runs.
        let long = try await celery.sendOne("demo.long_task", args: "[30]")
        try await Task.sleep(for: .seconds(1.5))
        _ = try await celery.python(
            "import sys\nfrom demo_tasks import app\napp.control.revoke(sys.argv[1], terminate=True)", arguments: [long])
        // Everything has happened once the slow task's attempt reported its retry and all immediate ones succeeded.
        let settled = try await Self.waitFor(.seconds(40)) {
            let records = try Self.records(in: side)
            let succeeded = Set(records.filter { $0.phase == "success" }.map(\.id))
            return succeeded.isSuperset(of: immediate) && records.contains { $0.id == slow && $0.phase == "retry" }
        }
        #expect(settled, "the workers did not finish: \(w1.logFile.path) \(w2.logFile.path)")
        try await Task.sleep(for: .seconds(2))
        await recorder.stop()

        // RETRYTOP_SAVE_RECORDING=DIR keeps this run's stream and side file (how Tests/Fixtures/wire/r9_* were made).
        if let keep = ProcessInfo.processInfo.environment["RETRYTOP_SAVE_RECORDING"] {
            let target = URL(fileURLWithPath: keep)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for (name, file) in [("r9_events.jsonl", recording), ("r9_attempts.jsonl", side.appendingPathComponent("attempts.jsonl"))] {
                try? FileManager.default.removeItem(at: target.appendingPathComponent(name))
                try FileManager.default.copyItem(at: file, to: target.appendingPathComponent(name))
            }
        }
        let (state, link) = try Self.fold(recording: recording)
        let records = try Self.records(in: side)
        #expect(link.decodeStats.malformed == 0)
        var overlapped = 0
        for id in immediate {
            let task = try #require(state.tasks[id], "\(id) not in the recording")
            let ran = records.filter { $0.id == id && $0.phase == "start" }.sorted { $0.retries < $1.retries }
            #expect(ran.map(\.retries) == [0, 1, 2, 3], "\(id)")
            #expect(task.state == .success, "\(id): \(task.attempts.map { $0.outcome?.rawValue ?? "-" })")
            #expect(task.attempts.map(\.number) == [1, 2, 3, 4], "\(id)")
            #expect(task.attempts.map(\.outcome) == [.retry, .retry, .retry, .success], "\(id)")
            #expect(task.attempts.map(\.worker) == ran.map(\.hostname), "\(id)")
            #expect(task.attempts.allSatisfy { $0.started != nil && $0.ended != nil }, "\(id)")
            // How often the next attempt started before the previous one's task-retried was folded.
            if task.attempts.dropLast().enumerated().contains(where: { index, attempt in
                (task.attempts[index + 1].started ?? .infinity) < (attempt.ended ?? 0)
            }) { overlapped += 1 }
        }
        #expect(state.retryingIDs.isEmpty, "tasks left as retrying: \(state.retryingIDs.map(\.string))")

        // The slow task ran once; its retry message was discarded on arrival and never ran.
        #expect(records.filter { $0.id == slow && $0.phase == "start" }.count == 1)
        let revoked = try #require(state.tasks[slow])
        #expect(revoked.state == .revoked)
        #expect(revoked.attempts.map(\.outcome) == [.retry, .revoked])
        #expect(revoked.attempts.last?.started == nil)
        #expect(revoked.revocation?.terminated == false)

        let terminated = try #require(state.tasks[long])
        #expect(terminated.state == .revoked)
        #expect(terminated.attempts.map(\.outcome) == [.revoked])
        #expect(terminated.attempts.first?.started != nil)
        #expect(terminated.revocation?.terminated == true)
        // The trap was exercised: attempts overlapped (p19 saw 82 of 90 retries overlap with two workers).
        #expect(overlapped > 0)
        print("prefork orders: \(overlapped) of \(immediate.count) tasks had an attempt start before the previous one's task-retried")
    }
}
