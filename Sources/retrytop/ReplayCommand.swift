import ArgumentParser
import Foundation
import Monitor
import Runtime

/// `retrytop replay FILE`: a recording from `retrytop events` through the same dashboard, without Redis.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a file written by `retrytop events` through the dashboard (read-only), for post-mortems and demos."
    )

    @Argument(help: "A file of JSON event lines written by `retrytop events`.")
    var file: String

    @Option(name: .long, help: "Playback speed: 1 is recorded speed, 10 is ten times faster.")
    var speed: Double = 1

    @Flag(name: .long, help: "Quit when the recording has been played to the end.")
    var exitAtEnd = false

    @Option(name: .long, help: "Tasks tracked before finished ones are evicted.")
    var maxTasks: Int = 100_000

    @OptionGroup var display: DisplayOptions

    func run() throws {
        let wall = { Date().timeIntervalSince1970 }
        let source: ReplayEventSource
        do {
            source = try ReplayEventSource(path: file, speed: speed, wallClock: wall)
        } catch {
            throw UsageError(message: "cannot read \(file): \(error.localizedDescription)")
        }
        let monitor = MonitorState(limits: MonitorLimits(maxTasks: max(100, maxTasks)))
        let link = LinkStatus(connection: ConnectionState(
            phase: .stopped, since: source.firstTimestamp, redactedURL: "replay of \(URL(fileURLWithPath: file).lastPathComponent)", pattern: ""))
        try display.runDashboard(
            monitor: monitor, link: link, readOnly: true, pace: .default, source: source, actions: nil,
            clock: { source.recordedTime(at: wall()) }, exitWhenSourceFinishes: exitAtEnd)
    }
}
