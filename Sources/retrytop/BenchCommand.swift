import ArgumentParser
import CeleryLink
import Dashboard
import Firehose
import Foundation
import Launch
import Journal
import Monitor
import RedisLink
import TerminalUI
import Threading

/// `retrytop bench`: the firehose benchmark (release build): end-to-end ladder through a real
/// redis-server, side by side with Celery's own EventReceiver + State, plus one-core decode/fold
/// throughput, memory per tracked task, frame time and start-up time.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark ingest, fold, memory and frame time with a firehose of real-format Celery events (build with -c release).",
        discussion: "Starts its own redis-server on a free 127.0.0.1 port unless --broker is given. Results: Markdown tables (or --json)."
    )

    @Option(name: .long, help: "Use this Redis instead of starting one (its pub/sub limits decide the result).")
    var broker: String?

    @Option(name: .long, help: "redis-server to start.")
    var redisServer: String = "/usr/bin/redis-server"

    @Option(name: .long, help: "Target rates in events/s, comma-separated.")
    var rates: String = "10000,25000,50000,100000,150000"

    @Option(name: .long, help: "Batch mixes, comma-separated: 1-3 (task.multi batches) and/or 1 (one event per message).")
    var batches: String = "1-3,1"

    @Option(name: .long, help: "Transports of the ladder, comma-separated: tcp and/or tls (the own redis-server also listens for TLS with a self-signed certificate; the subscriber, firehose and peer use rediss://).")
    var transports: String = "tcp"

    /// Each rung's storm (and the one-core storm).
    @OptionGroup var shape: StormOptions

    @Flag(inversion: .prefixedNo, help: "Run Celery's EventReceiver + State (bench/celery_state_peer.py) side by side on every rung.")
    var peer = true

    @Option(name: .long, help: "Python for the Celery peer (default: .venv/bin/python if present, else python3).")
    var python: String?

    @Option(name: .long, help: "The Celery peer script.")
    var peerScript: String = "bench/celery_state_peer.py"

    @Flag(name: .long, help: "Run a raw reader (bench/raw_reader.py: PSUBSCRIBE and read, parsing nothing) beside every e2e rung, the yardstick for whether the machine could deliver the rung at all.")
    var rawReader = false

    @Option(name: .long, help: "The raw reader script.")
    var rawReaderScript: String = "bench/raw_reader.py"

    @Option(name: .long, help: "Also run retrytop alone (no peer competing for the 2 cores) at rates from this one up.")
    var aloneFrom: Double = 50_000

    @Option(name: .long, help: "Tasks folded for the memory and frame measurements.")
    var memoryTasks: Int = 100_000

    @Option(name: .long, help: "Events of the long storm (5 × --long-storm-bound tasks) folded through the task bound.")
    var longStormEvents: Int = 1_000_000

    @Option(name: .long, help: "The task bound (maxTasks) the long storm runs through.")
    var longStormBound: Int = 20_000

    @Option(name: .long, help: "Result keys (db+1) and unacked entries the backfill section loads, comma-separated.")
    var backfillKeys: String = "100000,10000"

    @Option(name: .long, help: "The storm's rate during the backfill section, events/s.")
    var backfillStormRate: Double = 10_000

    @Option(name: .long, help: "Seconds the idle rung measures the dashboard (200x50, through a pty) and snapshot with no events.")
    var idleSeconds: Double = 20

    @Option(name: .long, help: "Events/s of the low-rate CPU rung (both batch mixes, beside Celery's EventReceiver + State).")
    var lowRate: Double = 2_000

    @Option(name: .long, help: "Seconds of publishing in each low-rate rung.")
    var lowRateSeconds: Double = 10

    @Option(name: .long, help: "Sections to run, comma-separated: startup, core, memory, longstorm, frame, idle, lowrate, e2e, journal, backfill (journal and backfill are asked for by name; a typo is an error).")
    var only: BenchSections = .all

    @Flag(name: .long, help: "Write a journal (SQLite, in a temporary directory) during every e2e rung, as `retrytop record` does.")
    var journalLadder = false

    @Option(name: .long, help: "Journaled tasks the journal section loads at start.")
    var journalLoadTasks: Int = 100_000

    @Flag(name: .long, help: "Print the report as JSON instead of Markdown.")
    var json = false

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let sections = only
        var report = BenchReport(machine: Self.machine(command: CommandLine.arguments.joined(separator: " ")))
        let redisStart = MonotonicClock.now()
        let ladderTransports = transports.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !ladderTransports.isEmpty, ladderTransports.allSatisfy({ $0 == "tcp" || $0 == "tls" }) else {
            throw ValidationError("--transports takes tcp and/or tls")
        }
        if broker != nil, ladderTransports.contains("tls") {
            throw ValidationError("--transports tls needs the bench's own redis-server; for your own, give a rediss:// --broker")
        }
        let server = broker == nil ? try BenchRedisServer(executable: redisServer, tls: ladderTransports.contains("tls")) : nil
        let redisSeconds = MonotonicClock.now() - redisStart
        // The URL as given goes to the child processes: the redacted form drops the password and the TLS
        // file paths (ssl_ca_certs), so a firehose to a password-protected or rediss:// Redis failed.
        let brokerText = broker ?? server?.url ?? BrokerURL.defaultURL
        let url = try BrokerURL(parsing: brokerText)
        defer { server?.stop() }
        note("retrytop bench: broker \(url.redacted)\(server.map { " (own redis-server, pid \($0.pid))" } ?? "")")

        if sections.contains(.startup) { report.startup = try measureStartup(url: url, excluding: redisSeconds) }
        if sections.contains(.core) {
            note("retrytop bench: decode/fold on one core …")
            report.core = CoreBenchmark.run(storm: StormGenerator.generate(shape.configuration(batch: "1-3", rate: 100_000)))
        }
        if sections.contains(.memory) || sections.contains(.frame) {
            note("retrytop bench: folding \(memoryTasks) tasks for memory and frames …")
            var memoryShape = shape
            (memoryShape.events, memoryShape.tasks) = (memoryTasks * 9, memoryTasks)
            let storm = StormGenerator.generate(memoryShape.configuration(batch: "1-3", rate: 100_000))
            let (memory, state) = MemoryBenchmark.run(storm: storm, limits: MonitorLimits(maxTasks: max(100_000, memoryTasks)))
            if sections.contains(.memory) { report.memory = memory }
            if sections.contains(.frame) {
                report.frames.append(Self.measureFrame(state: Self.subset(of: state, storm: storm, tasks: 10_000), tasks: 10_000))
                report.frames.append(Self.measureFrame(state: state, tasks: state.tasks.count))
            }
        }
        if sections.contains(.longstorm) {
            note("retrytop bench: \(longStormEvents) events of \(longStormBound * 5) tasks through a bound of \(longStormBound) …")
            var longShape = shape
            (longShape.events, longShape.tasks) = (longStormEvents, longStormBound * 5)
            report.longStorm = LongStormBenchmark.run(
                storm: StormGenerator.generate(longShape.configuration(batch: "1-3", rate: 100_000)), limits: MonitorLimits(maxTasks: longStormBound))
        }
        var journalResult: JournalBenchmark.Result?
        if sections.contains(.journal) {
            let directory = NSTemporaryDirectory() + "retrytop-bench-journal-\(getpid())"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            note("retrytop bench: journal start-up load of \(journalLoadTasks) tasks …")
            let load = try JournalBenchmark.measureLoad(tasks: journalLoadTasks, directory: directory)
            note("retrytop bench: journal during a \(longStormEvents)-event storm …")
            var longShape = shape
            (longShape.events, longShape.tasks) = (longStormEvents, longStormBound * 5)
            var result = try JournalBenchmark.measureStorm(
                storm: StormGenerator.generate(longShape.configuration(batch: "1-3", rate: 100_000)),
                limits: MonitorLimits(maxTasks: max(100_000, longStormBound)), directory: directory)
            (result.loadTasksRead, result.loadTasks, result.loadAttempts) = (load.read, load.kept, load.attempts)
            (result.loadReadSeconds, result.loadSeconds) = (load.readSeconds, load.seconds)
            journalResult = result
        }
        if sections.contains(.idle) {
            note("retrytop bench: idle broker, dashboard 200x50 through a pty and snapshot, \(Int(idleSeconds)) s …")
            report.idle = try measureIdle(brokerText: brokerText)
        }
        if sections.contains(.lowrate) {
            let control = RedisConnection(url: url)
            try control.connect()
            for batch in batches.split(separator: ",").map(String.init) {
                guard BatchMix(argument: batch) != nil else { throw ValidationError("unknown batch mix \(batch)") }
                report.lowRate.append(try runLowRateRung(brokerText: brokerText, control: control, batch: batch))
            }
        }
        if sections.contains(.backfill) {
            let counts = backfillKeys.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard counts.count == 2 else { throw ValidationError("--backfill-keys takes two counts: result keys,unacked entries") }
            report.backfill = try measureBackfill(
                url: url, brokerText: brokerText, resultKeys: counts[0], unackedEntries: counts[1], rate: backfillStormRate)
        }
        if sections.contains(.e2e) {
            // CLIENT LIST shows the clients of both ports, so one plain control connection serves every transport.
            let control = RedisConnection(url: url)
            try control.connect()
            for transport in ladderTransports {
                let (rungURL, rungText) = transport == "tls" ? (try BrokerURL(parsing: server?.tlsURL ?? ""), server?.tlsURL ?? "") : (url, brokerText)
                for batch in batches.split(separator: ",").map(String.init) {
                    guard BatchMix(argument: batch) != nil else { throw ValidationError("unknown batch mix \(batch)") }
                    for rate in rates.split(separator: ",").compactMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
                        for sideBySide in [true, false] where sideBySide ? peer : (!peer || rate >= aloneFrom) {
                            var rung = try runRung(url: rungURL, brokerText: rungText, control: control, batch: batch, rate: rate, sideBySide: sideBySide)
                            if transport == "tls" { rung.batch += " over TLS" }
                            report.rungs.append(rung)
                        }
                    }
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(BenchTable.markdown(report).utf8))
            if let journalResult { FileHandle.standardOutput.write(Data(JournalBenchmark.markdown(journalResult).utf8)) }
        }
    }

    // MARK: - End to end

    /// One storm at one rate: our pipeline (and optionally the Celery peer) subscribed, the firehose
    /// published from a child process, then loss, drops, truth, CPU and memory read back.
    func runRung(url: BrokerURL, brokerText: String, control: RedisConnection, batch: String, rate: Double, sideBySide: Bool) throws -> RungResult {
        note("retrytop bench: batch \(batch) at \(Int(saturating: rate)) ev/s\(sideBySide ? " with Celery's EventReceiver + State" : " alone") …")
        let configuration = shape.configuration(batch: batch, rate: rate)
        ResourceUsage.trimHeap()
        ResourceUsage.resetPeak()
        let cpuBefore = ResourceUsage.cpuSeconds()
        var state = MonitorState(limits: MonitorLimits(maxTasks: max(100_000, shape.tasks * 2)))
        var link = LinkStatus()
        let known = ClientList(text: try control.clientList()).patternSubscriberIDs
        let pipeline = IngestPipeline(subscriber: EventSubscriber(configuration: .init(url: url)))
        pipeline.start()
        defer { pipeline.stop() }
        let journal = try journalLadder ? ladderJournal(rate: rate, batch: batch) : nil
        if journal != nil { state.startJournalFeed() }
        let monitorID = try waitForNewSubscriber(control: control, known: known)
        var subscribers = known.union([monitorID])
        var peerProcess: ChildProcess?
        if sideBySide {
            let process = try ChildProcess(path: pythonPath, arguments: [peerScript, "--broker", brokerText, "--idle", "3"])
            peerProcess = process
            subscribers.insert(try waitForNewSubscriber(control: control, known: subscribers, process: process))
        }
        defer { peerProcess?.terminate() }
        var rawProcess: ChildProcess?
        var rawID: Int?
        if rawReader {
            let process = try ChildProcess(path: pythonPath, arguments: [
                rawReaderScript, "--broker", brokerText, "--pattern", EventChannels(db: url.db).eventPattern, "--idle", "2",
            ])
            rawProcess = process
            rawID = try waitForNewSubscriber(control: control, known: subscribers, process: process, name: "the raw reader")
        }
        defer { rawProcess?.terminate() }

        let firehose = try ChildProcess(path: Self.selfExecutable, arguments: [
            "firehose", "--broker", brokerText, "--rate", String(rate), "--batch", batch, "--json",
        ] + shape.arguments)
        var maxOutputBuffer = 0
        var subscriberDropped = false
        var (rawMaxOutputBuffer, rawDropped) = (0, false)
        var lastSample = 0.0
        let sample = {
            let list = ClientList(text: (try? control.clientList()) ?? "")
            if let client = list.client(id: monitorID) {
                maxOutputBuffer = max(maxOutputBuffer, client.outputMemory)
            } else {
                subscriberDropped = true
            }
            if let rawID {
                if let client = list.client(id: rawID) {
                    rawMaxOutputBuffer = max(rawMaxOutputBuffer, client.outputMemory)
                } else if rawProcess?.isRunning == true {
                    rawDropped = true
                }
            }
        }
        while firehose.isRunning {
            usleep(20_000)
            pipeline.drain(into: &state, link: &link)
            if let journal, let facts = state.takeJournalFacts(gaps: link.connection.gaps) { journal.submit(facts) }
            if MonotonicClock.now() - lastSample > 0.1 {
                sample()
                lastSample = MonotonicClock.now()
            }
        }
        let publishedAt = MonotonicClock.now()
        guard let line = firehose.output().split(separator: "\n").last,
              let output = try? JSONDecoder().decode(FirehoseOutput.self, from: Data(line.utf8)) else {
            throw ValidationError("the firehose failed: \(firehose.errorOutput())")
        }
        var lastCount = -1
        var lastProgress = MonotonicClock.now()
        while state.stats.events < output.report.events, MonotonicClock.now() - lastProgress < 2 {
            usleep(20_000)
            pipeline.drain(into: &state, link: &link)
            if let journal, let facts = state.takeJournalFacts(gaps: link.connection.gaps) { journal.submit(facts) }
            if state.stats.events != lastCount {
                lastCount = state.stats.events
                lastProgress = MonotonicClock.now()
            }
        }
        let drainSeconds = MonotonicClock.now() - publishedAt
        if let journal {
            if let facts = state.takeJournalFacts(gaps: link.connection.gaps) { journal.submit(facts) }
            journal.stop()
            let status = journal.status
            note("retrytop bench:   journal: \(status.tasksWritten) task writes, behind \(status.behind), overflow \(status.overflow)"
                + (status.error.map { ", error \($0)" } ?? ""))
            try? FileManager.default.removeItem(atPath: (journal.configuration.path as NSString).deletingLastPathComponent)
        }
        sample()
        let connection = pipeline.subscriber.connectionState
        let inbox = pipeline.subscriber.inbox.statistics
        let cpu = ResourceUsage.cpuSeconds() - cpuBefore
        let peak = ResourceUsage.peakResidentBytes()

        var peerResult: PeerResult?
        if let peerProcess {
            if !peerProcess.waitForExitBlocking(timeout: .seconds(600)) { peerProcess.terminate() }
            if let line = peerProcess.output().split(separator: "\n").last {
                peerResult = try? JSONDecoder().decode(PeerResult.self, from: Data(line.utf8))
            }
            if peerResult == nil { note("retrytop bench: the Celery peer printed no result: \(peerProcess.errorOutput().suffix(2_000))") }
        }
        var rawResult: RawReaderResult?
        if let rawProcess {
            if !rawProcess.waitForExitBlocking(timeout: .seconds(60)) { rawProcess.terminate() }
            if let line = rawProcess.output().split(separator: "\n").last {
                rawResult = try? JSONDecoder().decode(RawReaderResult.self, from: Data(line.utf8))
            }
            if rawResult == nil { note("retrytop bench: the raw reader printed no result: \(rawProcess.errorOutput().suffix(2_000))") }
            rawResult?.dropped = rawDropped
            rawResult?.maxOutputBufferBytes = rawMaxOutputBuffer
        }
        let truth = StormGenerator.generate(configuration).truth
        let mismatches = truth.mismatches(in: state)
        if let first = mismatches.first, state.stats.events == output.report.events { note("retrytop bench: truth mismatch: \(first)") }
        // Gaps of the link itself (a disconnect, a stall); the inbox shedding is counted in the loss account.
        let linkGaps = connection.gaps.filter { $0.reason != ConnectionState.inboxFullReason }.count
        let loss = LossAccount(
            publishedEvents: output.report.events, foldedEvents: state.stats.events, publishedMessages: output.report.messages,
            receivedMessages: link.decodeStats.messages + inbox.dropped + inbox.oversized, inboxDroppedMessages: inbox.dropped,
            malformedMessages: link.decodeStats.malformed)
        let result = RungResult(
            batch: batch, targetRate: rate, sideBySide: sideBySide, publish: output.report, loss: loss,
            subscriberDropped: subscriberDropped, reconnects: connection.reconnects + linkGaps - min(linkGaps, connection.reconnects),
            maxOutputBufferBytes: maxOutputBuffer, peakInboxMessages: inbox.peakDepth, truthMismatches: mismatches.count,
            tasks: truth.tasks.count, cpuSeconds: cpu, peakRSSBytes: peak, drainSeconds: drainSeconds, peer: peerResult, rawReader: rawResult)
        // Why the link had gaps (the reconnects column counts gaps too): a disconnect, or the inbox shedding.
        let reasons = Dictionary(grouping: connection.gaps, by: \.reason).map { "\($0.key) ×\($0.value.count)" }.sorted()
        if !reasons.isEmpty {
            note("retrytop bench:   gaps: \(reasons.joined(separator: "; "))")
        }
        note("retrytop bench:   messages: published \(loss.publishedMessages), received \(loss.receivedMessages), dropped by the inbox "
            + "\(inbox.dropped) (counted), never received \(loss.undeliveredMessages) (uncounted); reconnects \(connection.reconnects)")
        note("retrytop bench:   published \(loss.publishedEvents) at \(Int(saturating: output.report.achievedRate))/s, folded \(loss.foldedEvents), lost \(loss.lostEvents), "
            + "dropped \(subscriberDropped), mismatches \(mismatches.count), cpu \(String(format: "%.2f", cpu)) s"
            + (peerResult.map { ", Celery State \($0.events)\($0.disconnected ? " (disconnected)" : "")" } ?? "")
            + (rawResult.map { ", raw reader \($0.bytes) bytes\($0.keptUp ? "" : " (cut)")" } ?? ""))
        return result
    }

    /// A journal writer for one rung, in a fresh temporary directory.
    func ladderJournal(rate: Double, batch: String) throws -> JournalWriter {
        let directory = NSTemporaryDirectory() + "retrytop-bench-ladder-\(getpid())-\(Int(rate))-\(batch)"
        let path = directory + "/journal.sqlite"
        guard let lock = try JournalLock.acquire(journalPath: path) else { throw ValidationError("\(path) is locked") }
        let writer = JournalWriter(
            configuration: JournalConfiguration(path: path, retention: JournalBenchmark.retention, loadWindowSeconds: 1), lock: lock)
        writer.start()
        return writer
    }

    /// Waits until a pattern subscriber not in `known` shows up in CLIENT LIST; returns its id.
    func waitForNewSubscriber(control: RedisConnection, known: Set<Int>, process: ChildProcess? = nil, name: String = "the Celery peer") throws -> Int {
        let deadline = MonotonicClock.now() + 60
        while MonotonicClock.now() < deadline {
            let ids = ClientList(text: try control.clientList()).patternSubscriberIDs.subtracting(known)
            if let id = ids.min() { return id }
            if let process, !process.isRunning {
                throw ValidationError("\(name) exited before subscribing: \(process.errorOutput().suffix(2_000))")
            }
            usleep(10_000)
        }
        throw ValidationError("no subscriber appeared in CLIENT LIST within 60 s")
    }

    var pythonPath: String {
        if let python { return python }
        let venv = FileManager.default.currentDirectoryPath + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/python3"
    }

    // MARK: - Start-up and frames

    /// Process start → PSUBSCRIBE confirmed (and → first frame when a renderer is linked).
    func measureStartup(url: BrokerURL, excluding redisSeconds: Double) throws -> BenchReport.Startup {
        let pipeline = IngestPipeline(subscriber: EventSubscriber(configuration: .init(url: url)))
        pipeline.start()
        defer { pipeline.stop() }
        let deadline = MonotonicClock.now() + 10
        while pipeline.subscriber.connectionState.phase != .connected, MonotonicClock.now() < deadline { usleep(200) }
        let subscribed = Self.processAge() - redisSeconds
        var state = MonitorState()
        var link = LinkStatus()
        pipeline.drain(into: &state, link: &link)
        let frame = Self.frameMilliseconds(state: state, width: 200, height: 60) != nil ? Self.processAge() - redisSeconds : nil
        return BenchReport.Startup(toSubscribedSeconds: subscribed, toFirstFrameSeconds: frame)
    }

    static func measureFrame(state: MonitorState, tasks: Int) -> BenchReport.Frame {
        // The dashboard keeps its AppState between frames; building it (indexes over all tasks) is
        // not part of a frame. Each timed frame: a tick (countdowns move), view models, views, grid, diff.
        var app = AppState(monitor: state, width: 200, height: 60, now: state.latestTimestamp)
        var previous = Dashboard.renderFrame(state: app)
        var samples: [Double] = []
        for index in 0..<30 {
            let start = MonotonicClock.now()
            _ = update(&app, .tick(now: state.latestTimestamp + Double(index + 1) * 0.05))
            let grid = Dashboard.renderFrame(state: app)
            let diff = GridDiff(from: previous, to: grid)
            samples.append((MonotonicClock.now() - start) * 1_000)
            if diff.isFullRedraw { samples.removeLast() }
            previous = grid
        }
        let median = samples.isEmpty ? nil : samples.sorted()[samples.count / 2]
        return BenchReport.Frame(tasks: tasks, width: 200, height: 60, milliseconds: median, note: median == nil ? "not measured" : "")
    }

    /// Time to build one dashboard frame (tick, view models, views, grid, diff) for `state`, in ms.
    static func frameMilliseconds(state: MonitorState, width: Int, height: Int) -> Double? {
        let start = MonotonicClock.now()
        let app = AppState(monitor: state, width: width, height: height, now: state.latestTimestamp)
        let grid = Dashboard.renderFrame(state: app)
        _ = GridDiff(from: nil, to: grid)
        return (MonotonicClock.now() - start) * 1_000
    }

    /// A state holding only the first `tasks` tasks of a storm (folded again from their events).
    static func subset(of state: MonitorState, storm: Storm, tasks: Int) -> MonitorState {
        var ids = Set<String>()
        var subset = MonitorState(limits: state.limits)
        for index in 0..<storm.messageCount {
            let events = storm.message(at: index).events.filter { event in
                guard let id = event.taskID else { return true }
                if ids.contains(id) { return true }
                guard ids.count < tasks else { return false }
                ids.insert(id)
                return true
            }
            subset.apply(events)
        }
        return subset
    }

    // MARK: - Machine

    static var selfExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Seconds since this process started (from /proc/self/stat and /proc/uptime).
    static func processAge() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let start = Double(fields[19]), let now = Double(uptime.split(separator: " ")[0]) else { return 0 }
        return now - start / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func machine(command: String) -> BenchReport.Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        return BenchReport.Machine(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpu: model,
            memoryBytes: Int(ProcessInfo.processInfo.physicalMemory), command: command)
    }

    func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
