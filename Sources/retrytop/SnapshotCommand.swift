import ArgumentParser
import Foundation
import Monitor
import RedisLink
import Runtime

/// `retrytop snapshot`: subscribe for a while, then print the folded model as one JSON document.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Subscribe for --for seconds, then print the folded model as one JSON document (schema in the README)."
    )

    @OptionGroup var options: BrokerOptions

    @Option(name: .customLong("for"), help: "Seconds to listen before printing.")
    var seconds: Double = 5

    @Flag(name: .long, help: "Leave tracebacks out of the document.")
    var noTracebacks = false

    func run() throws {
        let pipeline = try options.makePipeline()
        var state = MonitorState(limits: options.limits)
        pipeline.start()
        let deadline = Date().addingTimeInterval(max(0, seconds))
        while Date() < deadline {
            usleep(50_000)
            pipeline.drain(into: &state)
        }
        pipeline.drain(into: &state)
        let connection = state.connection
        pipeline.stop()
        pipeline.drain(into: &state)
        state.connection = connection
        let document = SnapshotDocument.render(state, now: Date().timeIntervalSince1970, includeTracebacks: !noTracebacks)
        FileHandle.standardOutput.write(Data((document + "\n").utf8))
        if connection.phase == .connecting {
            // Never subscribed: the document describes nothing, so a script must not mistake it for a quiet cluster.
            let reason = connection.reason ?? "no connection within \(seconds) s"
            FileHandle.standardError.write(Data("retrytop: never connected to \(connection.redactedURL): \(reason)\n".utf8))
            throw ExitCode(Self.neverConnectedExitCode)
        }
    }

    /// Exit status when the subscriber never connected (the document is still printed, with the reason).
    static let neverConnectedExitCode: Int32 = 3
}
