import ArgumentParser
import Firehose

/// The storm's shape, shared by `retrytop firehose` and `retrytop bench` (which hands the same values to
/// its firehose child): events, distinct tasks, workers and seed.
struct StormOptions: ParsableArguments {
    @Option(name: .long, help: "Events in the storm (approximate: whole task histories are planned).")
    var events: Int = 200_000

    @Option(name: .long, help: "Distinct task ids.")
    var tasks: Int = 20_000

    @Option(name: .long, help: "Workers sending events.")
    var workers: Int = 8

    @Option(name: .long, help: "Random seed: the same options give the same bytes.")
    var seed: UInt64 = 1

    func validate() throws {
        guard events > 0, tasks > 0, workers > 0 else { throw ValidationError("--events, --tasks and --workers must be positive") }
    }

    /// The generator's configuration for `batch` (`1-3` or `1`) at `rate` events/s.
    func configuration(batch: String, rate: Double) -> StormConfiguration {
        StormConfiguration(events: events, tasks: tasks, workers: workers, batch: BatchMix(argument: batch) ?? .celery, seed: seed, rate: max(1, rate))
    }

    /// These options as `retrytop firehose` arguments.
    var arguments: [String] {
        ["--events", String(events), "--tasks", String(tasks), "--workers", String(workers), "--seed", String(seed)]
    }
}
