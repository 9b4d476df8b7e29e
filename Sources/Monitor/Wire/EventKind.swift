/// Every Celery event type retrytop understands (`docs/celery-wire.md`, "Event batches and fields"), by its wire name.
public enum EventKind: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    case taskSent = "task-sent"
    case taskReceived = "task-received"
    case taskStarted = "task-started"
    case taskSucceeded = "task-succeeded"
    case taskFailed = "task-failed"
    case taskRetried = "task-retried"
    case taskRevoked = "task-revoked"
    case taskRejected = "task-rejected"
    case workerOnline = "worker-online"
    case workerHeartbeat = "worker-heartbeat"
    case workerOffline = "worker-offline"

    /// `EventKind(rawValue:)` without the string switch's case-by-case comparison: the length and the
    /// eighth byte single out one candidate, which is then compared whole.
    static func wireName(_ name: String) -> EventKind? {
        let utf8 = name.utf8
        let count = utf8.count
        guard count >= 9 else { return nil }
        let key = utf8[utf8.index(utf8.startIndex, offsetBy: 7)]
        let candidate: EventKind
        switch (count, key) {
        case (9, _): candidate = .taskSent
        case (11, _): candidate = .taskFailed
        case (12, UInt8(ascii: "a")): candidate = .taskStarted
        case (12, UInt8(ascii: "t")): candidate = .taskRetried
        case (12, UInt8(ascii: "v")): candidate = .taskRevoked
        case (13, UInt8(ascii: "c")): candidate = .taskReceived
        case (13, UInt8(ascii: "j")): candidate = .taskRejected
        case (13, UInt8(ascii: "o")): candidate = .workerOnline
        case (14, UInt8(ascii: "c")): candidate = .taskSucceeded
        case (14, UInt8(ascii: "o")): candidate = .workerOffline
        case (16, _): candidate = .workerHeartbeat
        default: return nil
        }
        return name == candidate.rawValue ? candidate : nil
    }

    public var isTaskEvent: Bool {
        switch self {
        case .workerOnline, .workerHeartbeat, .workerOffline: false
        default: true
        }
    }
}
