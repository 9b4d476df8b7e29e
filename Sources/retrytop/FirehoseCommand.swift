import ArgumentParser
import Firehose
import Foundation
import Monitor
import RedisLink
import Threading

/// `retrytop firehose`: publish a deterministic Celery retry storm (the wire format of `docs/celery-wire.md`, "Envelopes" and "Event batches and fields") to Redis.
struct FirehoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firehose",
        abstract: "Publish a deterministic Celery retry storm to Redis pub/sub at a target rate (for benchmarks and demos).",
        discussion: """
            Watch it with `retrytop`, `retrytop snapshot` or `celery events`. The storm (ids, workers, order, \
            tracebacks) depends only on the options, so two runs with the same seed publish the same bytes.
            """
    )

    @OptionGroup var options: BrokerOptions

    @Option(name: .long, help: "Target events per second (0 = as fast as possible).")
    var rate: Double = 50_000

    @Option(name: .long, help: "Task events per task.multi message: 1-3 (as Celery batches) or 1.")
    var batch: String = "1-3"

    @OptionGroup var shape: StormOptions

    @Flag(name: .long, help: "Print the publish report as one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard BatchMix(argument: batch) != nil else { throw ValidationError("--batch must be 1-3 or 1") }
        guard rate >= 0 else { throw ValidationError("--rate must not be negative") }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let stop = StopFlag.installForInterrupts()
        let url = try options.resolvedURL()
        let configuration = shape.configuration(batch: batch, rate: rate)
        let generateStart = MonotonicClock.now()
        let storm = StormGenerator.generate(configuration)
        let encoded = EncodedStorm(storm)
        let generateSeconds = MonotonicClock.now() - generateStart
        note("retrytop firehose: \(encoded.eventCount) events in \(encoded.messageCount) messages (\(encoded.bytes.count / 1_048_576) MiB), "
            + "\(storm.truth.tasks.count) tasks, generated in \(String(format: "%.2f", generateSeconds)) s; publishing to \(url.redacted) at \(Int(saturating: rate))/s")
        let publisher = FirehosePublisher(url: url, channels: EventChannels(db: url.db, options: options.transportOptions))
        let report = try publisher.publish(encoded, rate: rate, shouldStop: { stop.isSet })
        note("retrytop firehose: published \(report.events) events (\(report.messages) messages) in \(String(format: "%.2f", report.seconds)) s = "
            + "\(Int(saturating: report.achievedRate))/s; receivers first \(report.initialReceivers), min \(report.minReceivers)"
            + (report.receiversDropped ? "; a subscriber went away at message \(report.firstDropMessage)" : ""))
        if json {
            let output = FirehoseOutput(report: report, plannedEvents: encoded.eventCount, plannedMessages: encoded.messageCount,
                                        tasks: storm.truth.tasks.count, payloadBytes: encoded.bytes.count, generateSeconds: generateSeconds)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(output) + Data("\n".utf8))
        }
    }


    private func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// What `retrytop firehose --json` prints (the bench reads it).
struct FirehoseOutput: Codable {
    var report: PublishReport
    var plannedEvents: Int
    var plannedMessages: Int
    var tasks: Int
    var payloadBytes: Int
    var generateSeconds: Double
}
