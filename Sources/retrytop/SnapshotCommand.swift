import ArgumentParser
import Foundation
import Monitor
import RedisLink

/// `retrytop snapshot`: subscribe for a while, then print the folded model as one JSON document.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Subscribe for --for seconds, then print the folded model as one JSON document (schema in the README).",
        discussion: "Exits 69 when nothing answers at the broker URL, 76 when the port does not speak Redis, 77 when the password is refused, 78 when TLS fails (certificate verification, CA or client certificate), with one line on stderr saying why."
    )

    @OptionGroup var options: BrokerOptions

    @Option(name: .customLong("for"), help: "Seconds to listen before printing.")
    var seconds: Double = 5

    @Flag(name: .long, help: "Leave tracebacks out of the document.")
    var noTracebacks = false

    @Option(name: .customLong("from"), help: "Fold this recording from `retrytop events` instead of listening (its last event is \"now\").")
    var recording: String?

    @OptionGroup var backfill: BackfillOptions

    @Option(name: .long, help: "Seconds to wait past --for for backfill to finish; after that the document says which sources were cut.")
    var backfillWait: Double = 30

    func run() throws {
        if let recording {
            let document = try Self.document(recording: recording, limits: options.limits, includeTracebacks: !noTracebacks)
            FileHandle.standardOutput.write(Data((document + "\n").utf8))
            return
        }
        let listener = try HeadlessListener(options: options, backfill: backfill)
        listener.start()
        let deadline = Date().addingTimeInterval(max(0, seconds))
        try listener.pump(until: deadline, backfillDeadline: deadline.addingTimeInterval(max(0, backfillWait)))
        try listener.finish(waited: seconds)
        let (state, link) = (listener.state, listener.link)
        let document = SnapshotDocument.render(state, link: link, now: Date().timeIntervalSince1970, includeTracebacks: !noTracebacks)
        FileHandle.standardOutput.write(Data((document + "\n").utf8))
    }

    /// The snapshot document of a recording: folded in time order, "now" at its last event, so the same
    /// file always prints the same document; unreadable lines are counted in its stats.
    static func document(recording path: String, limits: MonitorLimits, includeTracebacks: Bool) throws -> String {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw UsageError(message: "cannot read --from \(path): \(error.localizedDescription)")
        }
        let recording = EventRecording(bytes: bytes)
        let connection = ConnectionState(
            phase: .stopped, since: recording.firstTimestamp,
            redactedURL: "recording \(URL(fileURLWithPath: path).lastPathComponent)", pattern: "")
        let state = recording.folded(limits: limits)
        return SnapshotDocument.render(state, link: recording.link(connection: connection), now: recording.lastTimestamp, includeTracebacks: includeTracebacks)
    }
}
