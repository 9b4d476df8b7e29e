import Firehose
import Foundation
import Monitor
import Testing
import TestSupport

/// Issue 10 end to end, eviction by value: 50 failed and 50 retrying tasks, then a flood of twenty
/// times the task bound, published on a real redis-server at a running `retrytop snapshot --max-tasks`.
///
/// Two floods: a large enqueue seen only as `task-sent` (tasks that stay PENDING), and as many tasks that
/// run and succeed. Either way the snapshot must keep all 100 failed and retrying tasks (the ones people
/// come to requeue) and say in `stats.evicted_by_state` exactly what went instead. Before eviction by
/// value, both floods evicted every one of the 100. Fails (never skips) when redis-server is missing.
@Suite(.serialized) struct FloodEvictionSnapshotTests {
    static let bound = 2_000
    static let floodSize = 20 * bound

    /// What the flood is made of.
    enum Flood: String, CustomTestStringConvertible {
        /// `task-sent` only (a producer with `task_send_sent_event`): PENDING tasks.
        case enqueued
        /// received, started, succeeded on a worker: SUCCESS tasks.
        case succeeded

        var testDescription: String { rawValue }
        var evictedState: String { self == .enqueued ? "PENDING" : "SUCCESS" }
    }

    /// The 100 tasks that must stay, then the flood, as the messages Celery would publish.
    static func messages(_ flood: Flood, failedIDs: [String], retryingIDs: [String]) -> [StormMessage] {
        let now = Date().timeIntervalSince1970
        var worker = EventBuilder(worker: "celery@flood-1", time: now - 60)
        var producer = EventBuilder(worker: "gen4242@app-1", time: now - 60)
        func sent(_ id: String, name: String) -> CeleryEvent {
            producer.make(.taskSent, id, after: 0.000_1) {
                $0.pid = 4242
                $0.name = name
                $0.args = "(1,)"
                $0.kwargs = "{}"
                $0.retries = 0
                $0.rootID = id
                $0.queue = "celery"
                $0.exchange = ""
                $0.routingKey = "celery"
            }
        }
        var sentEvents: [CeleryEvent] = []
        var workerEvents: [CeleryEvent] = []
        for id in failedIDs {
            sentEvents.append(sent(id, name: "app.charge"))
            workerEvents += [worker.received(id, name: "app.charge"), worker.started(id), worker.failed(id)]
        }
        for id in retryingIDs {
            sentEvents.append(sent(id, name: "app.fetch"))
            workerEvents += [
                worker.received(id, name: "app.fetch"), worker.started(id), worker.retried(id),
                worker.received(id, name: "app.fetch", retries: 1, eta: now + 3_600),
            ]
        }
        var messages = CeleryEventPublisher.singleMessages(sentEvents) + CeleryEventPublisher.workerMessages(workerEvents)
        var floodEvents: [CeleryEvent] = []
        for index in 0..<floodSize {
            let id = String(format: "f1000000-0000-4000-8000-%012d", index)
            switch flood {
            case .enqueued: floodEvents.append(sent(id, name: "app.enqueue"))
            case .succeeded:
                let received = worker.make(.taskReceived, id, after: 0.000_1) {
                    $0.name = "app.quick"
                    $0.args = "(1,)"
                    $0.kwargs = "{}"
                    $0.retries = 0
                }
                floodEvents += [received, worker.started(id, after: 0.000_1), worker.succeeded(id, after: 0.000_1)]
            }
        }
        messages += flood == .enqueued
            ? CeleryEventPublisher.singleMessages(floodEvents) : CeleryEventPublisher.workerMessages(floodEvents)
        return messages
    }

    @Test(.serialized, .timeLimit(.minutes(2)), arguments: [Flood.enqueued, Flood.succeeded])
    func aFloodPastTheBoundKeepsEveryFailedAndRetryingTask(_ flood: Flood) async throws {
        let failedIDs = (0..<50).map { String(format: "fa11ed00-0000-4000-8000-%012d", $0) }
        let retryingIDs = (0..<50).map { String(format: "2e7a1000-0000-4000-8000-%012d", $0) }
        let messages = Self.messages(flood, failedIDs: failedIDs, retryingIDs: retryingIDs)

        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let publisher = try CeleryEventPublisher(url: redis.url)
        defer { publisher.close() }
        let commands = publisher.commands(messages)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-flood-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("snapshot.json")
        let process = try BackgroundProcess(
            executable: RepoPaths.retrytopBinary.path,
            arguments: ["snapshot", "--broker", redis.url, "--max-tasks", String(Self.bound), "--for", "12", "--no-tracebacks"],
            outputFile: output, errorFile: directory.appendingPathComponent("stderr.txt"))
        defer { process.kill() }

        try publisher.waitForSubscriber()
        let started = Date()
        let fewestReceivers = try publisher.publish(commands)
        let publishSeconds = Date().timeIntervalSince(started)
        #expect(fewestReceivers == 1, "a PUBLISH reached no subscriber")

        let exited = await process.waitForExit(timeout: .seconds(40))
        #expect(exited, "snapshot did not exit")
        #expect(process.exitStatus == 0, "snapshot failed: \(process.errorOutput())")
        let data = try Data(contentsOf: output)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let stats = try #require(document["stats"] as? [String: Any])
        // Everything published was heard and folded.
        #expect(stats["messages"] as? Int == messages.count, "published \(messages.count) in \(publishSeconds) s: \(stats)")
        #expect(stats["inbox_dropped"] as? Int == 0 && stats["malformed"] as? Int == 0)
        #expect(stats["tracked_tasks"] as? Int == Self.bound)

        let tasks = try #require(document["tasks"] as? [[String: Any]])
        let stateByID = Dictionary(tasks.compactMap { task in (task["id"] as? String).map { ($0, task["state"] as? String ?? "") } }) { first, _ in first }
        #expect(tasks.count == Self.bound)
        let lostFailed = failedIDs.filter { stateByID[$0] != "FAILURE" }
        let lostRetrying = retryingIDs.filter { stateByID[$0] != "RETRY" }
        #expect(lostFailed.isEmpty, "\(lostFailed.count) of 50 failed tasks evicted or changed: \(lostFailed.prefix(3))")
        #expect(lostRetrying.isEmpty, "\(lostRetrying.count) of 50 retrying tasks evicted or changed: \(lostRetrying.prefix(3))")

        // Exactly the flood's surplus went, all of it from the flood's own state.
        let surplus = Self.floodSize + 100 - Self.bound
        let evicted = try #require(stats["evicted_by_state"] as? [String: Int], "stats: \(stats)")
        #expect(evicted == [flood.evictedState: surplus])
        #expect(stats["evicted_tasks"] as? Int == surplus)
        let counts = try #require(document["counts"] as? [String: Int])
        #expect(counts["FAILURE"] == 50 && counts["RETRY"] == 50)
        #expect(counts[flood.evictedState] == Self.bound - 100)
    }
}
