import ArgumentParser
import CeleryLink

/// Which workers a remote-control command (`rate-limit`, `consumers`) addresses and how long it waits.
struct WorkerTargetOptions: ParsableArguments {
    @Option(name: .long, parsing: .singleValue, help: "A worker node name (repeat for several); default every worker.")
    var destination: [String] = []

    @Option(name: .long, help: "Seconds to collect replies.")
    var replyTimeout: Double = 1.0

    /// The pidbox destination: nil addresses every worker.
    var targets: [String]? { destination.isEmpty ? nil : destination }

    /// The reply wait, at least 0.1 s.
    var timeout: Double { max(0.1, replyTimeout) }

    /// The control client for `options`, recording through `actions`' audit log and refusing everything in
    /// read-only mode (`WorkerControl` checks it before anything is written or sent: the one place).
    func workerControl(_ options: BrokerOptions, _ actions: ActionOptions) throws -> WorkerControl {
        let url = try options.resolvedURL()
        return WorkerControl.connect(
            url: url, options: options.transportOptions,
            configuration: .init(readOnly: actions.readOnly, auditTrail: actions.log, brokerDescription: url.redacted))
    }
}
