import Monitor

/// One record of the audit trail: an action about to be sent, one message about to be pushed, or
/// what came of the action.
///
/// Why three phases: a record written after the fact is lost when the process dies in the middle (a
/// bulk requeue killed after 41 pushes used to leave nothing). So an action first writes an `intent`
/// (every task id, and for a requeue every new id, generated up front), a bulk requeue writes a `send`
/// record before each message, and the `result` comes last; `send` and `result` name their intent in
/// `refersTo`. Arguments are never recorded (they may hold secrets); the broker only redacted.
/// Bounds: one record per message; a record lists at most the ids of its action.
public struct AuditRecord: Sendable {
    public enum Phase: String, Sendable, Equatable {
        /// Written before anything of the action is sent.
        case intent
        /// Written before one message of a bulk action is sent.
        case send
        /// Written after the action ended (sent, failed, stopped).
        case result
    }

    /// This record's own id (a UUID), which `send` and `result` records refer to.
    public var id: String
    public var phase: Phase
    /// The `intent` this record belongs to (nil for an intent).
    public var refersTo: String?
    /// `revoke`, `terminate` or `requeue`.
    public var action: String
    /// The broker, redacted.
    public var broker: String
    public var taskIDs: [String]
    /// Original id → new id of each copy (requeue), in order.
    public var newIDs: [(original: String, copy: String)] = []
    /// Task id → why it was not sent.
    public var refused: [(id: String, reason: String)] = []
    /// Task id → the broker error that stopped it.
    public var failed: [(id: String, reason: String)] = []
    /// Extra string fields (signal, queue, pace, sources, result, stop reason).
    public var details: [(key: String, value: String)] = []

    public init(id: String, phase: Phase, refersTo: String? = nil, action: String, broker: String, taskIDs: [String]) {
        self.id = id
        self.phase = phase
        self.refersTo = refersTo
        self.action = action
        self.broker = broker
        self.taskIDs = taskIDs
    }
}
