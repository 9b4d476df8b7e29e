import ArgumentParser
import Foundation
import Monitor
import RedisLink

/// `retrytop events`: every decoded event as one JSON line, like `celery events --dump` but parseable.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print each decoded event as one JSON line until interrupted (replay such a file with `retrytop replay`).",
        discussion: "Exits 69 when nothing answers at the broker URL, 76 when the port does not speak Redis, 77 when the password is refused, with one line on stderr saying why; once connected it reconnects by itself."
    )

    @OptionGroup var options: BrokerOptions

    @Option(name: .customLong("for"), help: "Stop after this many seconds (default: until interrupted).")
    var seconds: Double?

    func run() throws {
        let pipeline = try options.makePipeline()
        let configuration = pipeline.subscriber.configuration
        signal(SIGPIPE, SIG_IGN)
        let stop = StopFlag.installForInterrupts()
        pipeline.start()
        var first = FirstConnection()
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        var lastPhase = ConnectionState.Phase.connecting
        while !stop.isSet, deadline.map({ Date() < $0 }) ?? true {
            usleep(20_000)
            Self.print(pipeline.take().events)
            let connection = pipeline.subscriber.connectionState
            let wasConnected = first.everConnected
            if let verdict = first.observe(connection) {
                pipeline.stop()
                throw FirstConnection.fail(verdict)
            }
            if first.everConnected, !wasConnected {
                FileHandle.standardError.write(Data("retrytop: listening on \(configuration.url.redacted) (\(configuration.pattern))\n".utf8))
            }
            if connection.phase != lastPhase, first.everConnected {
                lastPhase = connection.phase
                FileHandle.standardError.write(Data("retrytop: \(connection.phase.rawValue)\(connection.reason.map { " (\($0))" } ?? "")\n".utf8))
            }
        }
        let connection = pipeline.subscriber.connectionState
        pipeline.stop()
        // What was read but not yet printed (a trickle waits in the pipeline for the next take).
        Self.print(pipeline.take().events)
        try stop.exitIfInterrupted()
        if let verdict = first.atDeadline(connection, waited: seconds ?? 0) { throw FirstConnection.fail(verdict) }
    }

    /// Writes one JSON line per event to stdout.
    private static func print(_ events: [CeleryEvent]) {
        guard !events.isEmpty else { return }
        var text = ""
        for event in events {
            text += EventLine.render(event)
            text += "\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
