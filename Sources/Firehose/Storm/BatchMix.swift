/// How many task events share one `task.multi` message.
///
/// Celery's prefork worker flushes its event buffer every loop tick, so in a burst most messages carry
/// 1 to 3 events (`docs/celery-wire.md`, "Event batches and fields"; the captures had 91/163/61 of sizes 1/2/3); `single` is the one-event-per-message
/// stream a worker sends when it is idle between tasks, and the harder case for a subscriber.
public enum BatchMix: Sendable, Equatable, CustomStringConvertible {
    /// Batches of 1, 2 or 3 events with the weights observed on the wire.
    case celery
    /// One event per message (still a one-element JSON array, as Celery sends it).
    case single

    /// Parses `1-3` (or `batched`) and `1` (or `single`).
    public init?(argument: String) {
        switch argument.lowercased() {
        case "1-3", "batched", "multi", "celery": self = .celery
        case "1", "single": self = .single
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .celery: "1-3"
        case .single: "1"
        }
    }

    /// The size of the next batch.
    func nextSize(_ random: inout StormRandom) -> Int {
        switch self {
        case .single: return 1
        case .celery:
            let roll = random.int(in: 0...(91 + 163 + 61 - 1))
            if roll < 91 { return 1 }
            if roll < 91 + 163 { return 2 }
            return 3
        }
    }
}
