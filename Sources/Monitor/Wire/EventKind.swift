/// Every Celery event type retrytop understands (SPEC §2.4), by its wire name.
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

    public var isTaskEvent: Bool {
        switch self {
        case .workerOnline, .workerHeartbeat, .workerOffline: false
        default: true
        }
    }
}
