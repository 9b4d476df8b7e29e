import Firehose
import Foundation
import Journal
import Monitor
import Threading

/// The journal's figures for `retrytop bench --only journal,…`: the start-up load of a large journal, and
/// bytes written per event and journal size after a long storm folded with the journal written.
///
/// Why apart from the firehose ladder: these measure the journal alone (one core, no Redis); the ladder's
/// rungs run with the journal written as well (`--journal-ladder`), so "0 lost" there includes its cost.
struct JournalBenchmark {
    /// The bench's journals keep records of any age: its storms are stamped at a fixed past epoch
    /// (`StormConfiguration.startEpoch`, 2026-11-26), which the default 7-day retention would delete at
    /// the writer's start and every minute once a week has passed, shrinking the figures it reports.
    static let retention = JournalRetention(retainSeconds: 3_650 * 86_400)

    struct Result {
        var loadTasks = 0
        var loadAttempts = 0
        var loadSeconds = 0.0
        var loadReadSeconds = 0.0
        var loadTasksRead = 0
        var stormEvents = 0
        var stormTasksJournaled = 0
        var stormSeconds = 0.0
        var bytesWritten = 0
        var journalBytes = 0
        var behind = 0
    }

    /// Writes `tasks` failed tasks of three attempts each, then times reading them and merging them into a model.
    static func measureLoad(tasks: Int, directory: String) throws -> Load {
        let path = directory + "/load.sqlite"
        let store = try JournalStore(path: path)
        let now = Date().timeIntervalSince1970
        var batch = JournalBatch()
        for index in 0..<tasks {
            let time = now - Double(tasks - index) * 0.1
            let worker = "w\(index % 8)@bench"
            var attempts: [JournaledAttempt] = []
            for number in 1...3 {
                let begin: Double = time - 30 + Double(number) * 10
                var attempt = JournaledAttempt(number: number, worker: worker, received: begin, started: begin + 1, ended: begin + 2, runtime: 1)
                attempt.outcome = number == 3 ? .failure : .retry
                attempt.exception = "ConnectionError('upstream \(index % 20) refused')"
                if number == 3 { attempt.traceback = "Traceback (most recent call last):\n  File \"app.py\", line 9\nConnectionError\n" }
                if number > 1 { attempt.eta = begin - 1 }
                if number < 3 { attempt.retryAt = begin + 9 }
                attempts.append(attempt)
            }
            batch.tasks.append(JournaledTask(
                id: String(format: "%08x-0000-4000-8000-%012x", index, index), name: "bench.task_\(index % 50)", state: .failure,
                retries: 2, args: "[\(index)]", kwargs: "{}", queue: "celery", worker: worker, firstSeen: time - 30,
                lastUpdate: time, attempts: attempts))
            if batch.tasks.count == 10_000 {
                try store.write(batch, now: now)
                batch = JournalBatch()
            }
        }
        try store.write(batch, now: now)
        let start = MonotonicClock.now()
        let reader = try JournalReader(path: path)
        let loaded = try reader.tasks(since: now - 6 * 3_600, limit: tasks, maxAttempts: 32)
        let read = MonotonicClock.now() - start
        // A model large enough to keep them all (failed tasks may fill half of it): the load, not eviction.
        var state = MonitorState(limits: MonitorLimits(maxTasks: 2 * tasks))
        state.mergeJournal(loaded)
        let seconds = MonotonicClock.now() - start
        return Load(read: loaded.count, kept: state.tasks.count, attempts: loaded.reduce(0) { $0 + $1.attempts.count }, readSeconds: read, seconds: seconds)
    }

    /// The start-up load's figures: tasks read from the journal, kept by the model's bound, and the times.
    struct Load {
        var read: Int
        var kept: Int
        var attempts: Int
        var readSeconds: Double
        var seconds: Double
    }

    /// Folds `storm` one message at a time, handing the journal a batch every `eventsPerFrame` events (a
    /// frame at 100,000 events/s and 20 fps is 5,000 events) to a real writer thread; reports the bytes
    /// this process wrote (`wchar` of /proc/self/io: the database, its WAL and checkpoints) per event.
    static func measureStorm(storm: Storm, limits: MonitorLimits, directory: String, eventsPerFrame: Int = 5_000) throws -> Result {
        let path = directory + "/storm.sqlite"
        guard let lock = try JournalLock.acquire(journalPath: path) else { throw JournalError(path: path, message: "locked") }
        let writer = JournalWriter(
            configuration: JournalConfiguration(path: path, retention: JournalBenchmark.retention, loadWindowSeconds: 1), lock: lock)
        writer.start()
        let writtenBefore = writtenBytes()
        var state = MonitorState(limits: limits)
        state.startJournalFeed()
        let start = MonotonicClock.now()
        var sinceBatch = 0
        for index in 0..<storm.messageCount {
            let events = storm.message(at: index).events
            state.apply(events)
            sinceBatch += events.count
            if sinceBatch >= eventsPerFrame {
                if let facts = state.takeJournalFacts() { writer.submit(facts) }
                sinceBatch = 0
            }
        }
        if let facts = state.takeJournalFacts() { writer.submit(facts) }
        writer.stop()
        var result = Result()
        result.stormSeconds = MonotonicClock.now() - start
        result.stormEvents = state.stats.events
        result.stormTasksJournaled = writer.status.tasksWritten
        result.behind = writer.status.behind
        result.bytesWritten = writtenBytes() - writtenBefore
        result.journalBytes = ["", "-wal", "-shm"].reduce(0) { total, suffix in
            total + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? Int) ?? 0)
        }
        return result
    }

    /// Bytes this process passed to write calls so far (`wchar` in /proc/self/io).
    static func writtenBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }

    static func markdown(_ result: Result) -> String {
        func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        return """

            ### Journal

            | measure | value |
            |---|---|
            | start-up load: \(result.loadTasksRead) journaled tasks (\(result.loadAttempts) attempts) read, merged into a model that keeps \(result.loadTasks) | \(String(format: "%.2f s (read %.2f s)", result.loadSeconds, result.loadReadSeconds)) |
            | storm folded with the journal written: \(result.stormEvents) events, \(result.stormTasksJournaled) task writes | \(String(format: "%.1f s", result.stormSeconds)) |
            | bytes written per event (database + WAL, `wchar`) | \(result.stormEvents > 0 ? String(format: "%.0f", Double(result.bytesWritten) / Double(result.stormEvents)) : "-") |
            | journal size after the storm (database + WAL) | \(mb(result.journalBytes)) |
            | writer fell behind (commits of changes that waited > 1 s) | \(result.behind) |

            """
    }
}
