/// One decoded Celery event with every field the wire carries (`docs/celery-wire.md`, "Event batches and fields"); absent fields are nil.
///
/// Times are epoch seconds: `timestamp` as sent, `eta` and `expires` parsed from ISO-8601.
/// `args`, `kwargs` and `result` are Python repr strings, exactly as Celery sends them.
public struct CeleryEvent: Sendable, Equatable {
    public var kind: EventKind
    public var hostname: String
    public var timestamp: Double
    public var clock: Int
    public var pid: Int?
    public var utcoffset: Double?

    // Task events.
    /// The task id (`uuid`); see `taskKey`, which is what is stored.
    public var taskID: String? {
        get { taskKey?.string }
        set { taskKey = newValue.map(TaskKey.init) }
    }
    public var taskKey: TaskKey?
    public var name: String?
    public var args: String?
    public var kwargs: String?
    public var retries: Int?
    public var eta: Double?
    public var expires: Double?
    public var rootID: String? {
        get { rootKey?.string }
        set { rootKey = newValue.map(TaskKey.init) }
    }
    public var rootKey: TaskKey?
    public var parentID: String? {
        get { parentKey?.string }
        set { parentKey = newValue.map(TaskKey.init) }
    }
    public var parentKey: TaskKey?
    public var queue: String?
    public var exchange: String?
    public var routingKey: String?
    public var result: String?
    public var runtime: Double?
    public var exception: String?
    /// The traceback text; kept escaped (see `EscapedText`) until read.
    public var traceback: String? {
        get { tracebackText?.string }
        set { tracebackText = newValue.map(EscapedText.init) }
    }
    var tracebackText: EscapedText?
    public var terminated: Bool?
    public var signum: Int?
    public var expired: Bool?
    public var requeue: Bool?

    // Worker events.
    public var freq: Double?
    public var active: Int?
    public var processed: Int?
    public var loadavg: [Double]?
    public var swIdent: String?
    public var swVersion: String?
    public var swSystem: String?

    public init(kind: EventKind, hostname: String, timestamp: Double, clock: Int = 0) {
        self.kind = kind
        self.hostname = hostname
        self.timestamp = timestamp
        self.clock = clock
    }
}
