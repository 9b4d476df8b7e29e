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

    @OptionGroup var backfill: BackfillOptions

    @Option(name: .long, help: "Seconds to wait past --for for backfill to finish; after that the document says which sources were cut.")
    var backfillWait: Double = 30

    func run() throws {
        let pipeline = try options.makePipeline()
        var state = MonitorState(limits: options.limits)
        let reader = backfill.makeReader(
            broker: pipeline.subscriber.configuration.url, transport: options.transportOptions, subscriber: pipeline.subscriber)
        state.backfill = reader?.currentStatus ?? BackfillOptions.disabledStatus(now: Date().timeIntervalSince1970)
        // Subscribe first, then backfill: nothing that happens meanwhile is missed.
        pipeline.start()
        reader?.start()
        func mergeBackfill() {
            guard let delivery = reader?.take() else { return }
            if let status = delivery.status { state.backfill = status }
            if !delivery.tasks.isEmpty { state.mergeBackfill(delivery.tasks) }
        }
        let deadline = Date().addingTimeInterval(max(0, seconds))
        let backfillDeadline = deadline.addingTimeInterval(max(0, backfillWait))
        while Date() < deadline || (!state.backfill.isFinished && Date() < backfillDeadline) {
            usleep(50_000)
            pipeline.drain(into: &state)
            mergeBackfill()
        }
        reader?.stop()
        pipeline.drain(into: &state)
        mergeBackfill()
        state.backfill.cut()
        let connection = state.connection
        pipeline.stop()
        pipeline.drain(into: &state)
        state.connection = connection
        let document = SnapshotDocument.render(state, now: Date().timeIntervalSince1970, includeTracebacks: !noTracebacks)
        FileHandle.standardOutput.write(Data((document + "\n").utf8))
    }
}
