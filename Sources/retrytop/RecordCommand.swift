import ArgumentParser
import CeleryLink
import Foundation
import Journal
import Monitor
import RedisLink
import Runtime

/// `retrytop record`: a headless recorder that journals the broker's events (meant to run as a service).
///
/// Holds the journal's lock (one writer per journal), folds events as the dashboard does, and hands
/// each batch to the writer thread every `commitInterval`. Never connected, it keeps retrying and says
/// why on stderr each time the connection changes. SIGTERM/SIGINT: commit, close the session, exit 0.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the broker's task history into the journal, headless (run it as a service; see the README).",
        discussion: "Exits 0 on SIGTERM or SIGINT after committing; 73 when another process already writes the journal."
    )

    @OptionGroup var options: BrokerOptions
    @OptionGroup var journalOptions: JournalOptions

    @Option(name: .long, help: "Audit log whose actions are copied into the journal (default: ~/.local/state/retrytop/audit.log).")
    var auditLog: String?

    func run() throws {
        guard !journalOptions.noJournal else { throw UsageError(message: "record writes a journal: --no-journal makes no sense here") }
        let pipeline = try options.makePipeline()
        let url = pipeline.subscriber.configuration.url
        let configuration = try journalOptions.configuration(for: url, limits: options.limits, auditLog: auditLog)
        let lock: JournalLock
        do {
            guard let taken = try JournalLock.acquire(journalPath: configuration.path) else {
                log("another process writes \(configuration.path) (its lock \(configuration.path).lock is held)")
                throw ExitCode(73)
            }
            lock = taken
        } catch let error as JournalError {
            log("\(error)")
            throw ExitCode(73)
        }
        let writer = JournalWriter(configuration: configuration, lock: lock)
        let stop = StopFlag.installForInterrupts()
        writer.start()
        pipeline.start()
        log("recording \(url.redacted) into \(configuration.path)")
        var state = MonitorState(limits: options.limits)
        var link = LinkStatus()
        state.startJournalFeed()
        var lastPhase = ""
        var lastStatus = JournalStatus(mode: .writing, path: configuration.path)
        while !stop.isSet {
            usleep(UInt32(configuration.commitInterval * 1_000_000))
            pipeline.drain(into: &state, link: &link)
            if let facts = state.takeJournalFacts(gaps: link.connection.gaps) { writer.submit(facts) }
            let connection = link.connection
            let phase = "\(connection.phase.rawValue) \(connection.attempt) \(connection.reason ?? "")"
            if phase != lastPhase {
                lastPhase = phase
                let reason = connection.reason.map { ": \($0)" } ?? ""
                log("broker \(connection.phase.rawValue)\(connection.attempt > 0 ? " (attempt \(connection.attempt))" : "")\(reason)")
            }
            let status = writer.status
            if status.error != lastStatus.error, let error = status.error { log(error + " (recording carries on; changes are kept until the journal takes them)") }
            if status.behind > lastStatus.behind { log("journal writer fell behind (\(status.behind) times): changes waited more than 1 s for their commit") }
            if status.overflow > lastStatus.overflow { log("journal missed \(status.overflow) changes (feed bound)") }
            lastStatus = status
        }
        pipeline.stop()
        pipeline.drain(into: &state, link: &link)
        if let facts = state.takeJournalFacts(gaps: link.connection.gaps) { writer.submit(facts) }
        writer.stop()
        log("stopped; journal committed")
    }

    private func log(_ line: String) {
        FileHandle.standardError.write(Data("retrytop record: \(line)\n".utf8))
    }
}
