/// One execution attempt of a task: attempt `number` is the message with `retries == number - 1`.
///
/// Attempts are first-class because a retry storm is a story of attempts: who ran each, how long, what
/// it raised, and how long the backoff waited before the next (`retryAt - ended`).
///
/// Layout (104 bytes, down from ~170): times are stored as plain `Double`s with NaN meaning "absent"
/// (event times and runtimes are finite, so NaN never carries a value) and exposed as `Double?`; the
/// number and the sender's clocks are `Int32` (clocks saturate at `Int32.max`).
public struct Attempt: Sendable, Equatable {
    /// 1-based; Celery's `retries` + 1.
    public var number: Int {
        get { Int(storedNumber) }
        set { storedNumber = Int32(clamping: newValue) }
    }
    public var worker: String?
    public var received: Double? {
        get { receivedTime.isNaN ? nil : receivedTime }
        set { receivedTime = newValue ?? .nan }
    }
    public var started: Double? {
        get { startedTime.isNaN ? nil : startedTime }
        set { startedTime = newValue ?? .nan }
    }
    public var ended: Double? {
        get { endedTime.isNaN ? nil : endedTime }
        set { endedTime = newValue ?? .nan }
    }
    /// A Celery state name once the attempt is over (`RETRY`, `SUCCESS`, `FAILURE`, `REVOKED`, `REJECTED`).
    public var outcome: TaskState?
    /// What the attempt raised (Celery's `exception` repr).
    public var exception: String? { exceptionEntry?.text }
    /// The exception with its fingerprint, shared with the other attempts that raised the same text.
    var exceptionEntry: ExceptionCatalog.Entry?
    public var runtime: Double? {
        get { runtimeSeconds.isNaN ? nil : runtimeSeconds }
        set { runtimeSeconds = newValue ?? .nan }
    }
    /// This attempt's own ETA (the backoff target it waited for), when it had one.
    public var eta: Double? {
        get { etaTime.isNaN ? nil : etaTime }
        set { etaTime = newValue ?? .nan }
    }
    /// When the next attempt is due: the `eta` of the following attempt's message.
    public var retryAt: Double? {
        get { retryAtTime.isNaN ? nil : retryAtTime }
        set { retryAtTime = newValue ?? .nan }
    }

    /// When this attempt's message was published (its `task-sent`), when that event was seen.
    public var sent: Double? {
        get { sentTime.isNaN ? nil : sentTime }
        set { sentTime = newValue ?? .nan }
    }

    /// Its beginning (the `task-received`, hence who got it and when) was not seen: it was already under
    /// way when retrytop started, or came from backfill. Such an attempt has no `received` time, so a
    /// view must not read its `started` as following one.
    public var beginningUnseen = false

    /// It came from the journal (recorded before this process started), not from this process's events.
    public var fromJournal = false

    // NaN = absent.
    private var sentTime = Double.nan
    private var receivedTime = Double.nan
    private var startedTime = Double.nan
    private var endedTime = Double.nan
    private var runtimeSeconds = Double.nan
    private var etaTime = Double.nan
    private var retryAtTime = Double.nan
    private var storedNumber: Int32

    // The sender's clock at each step, to attribute later events to the right attempt (-1 = not seen).
    var receivedClock: Int {
        get { Int(receivedClock32) }
        set { receivedClock32 = Int32(clamping: newValue) }
    }
    var startedClock: Int {
        get { Int(startedClock32) }
        set { startedClock32 = Int32(clamping: newValue) }
    }
    var endedClock: Int {
        get { Int(endedClock32) }
        set { endedClock32 = Int32(clamping: newValue) }
    }
    private var receivedClock32: Int32 = -1
    private var startedClock32: Int32 = -1
    private var endedClock32: Int32 = -1

    public init(number: Int, worker: String? = nil) {
        self.storedNumber = Int32(clamping: number)
        self.worker = worker
    }

    /// Records when the next attempt is due, keeping the earliest report. The next message's `task-sent` and
    /// `task-received` both tell (its ETA, or the time it was sent when it had none); they arrive in either
    /// order, and keeping the earliest makes the fold independent of that order.
    mutating func noteRetryDue(_ time: Double) {
        if retryAtTime.isNaN || time < retryAtTime { retryAtTime = time }
    }

    /// When this attempt was due, as far as its own events tell: its ETA, else the earliest of its sending
    /// and its receipt. The previous attempt's `retryAt`, whichever of the events arrived first.
    var due: Double? {
        if !etaTime.isNaN { return etaTime }
        let earliest = min(sentTime.isNaN ? .infinity : sentTime, receivedTime.isNaN ? .infinity : receivedTime)
        return earliest.isFinite ? earliest : nil
    }

    /// Whether `started` is set, without building the optional.
    var hasStarted: Bool { !startedTime.isNaN }

    public var isInFlight: Bool { outcome == nil }

    /// The time spent waiting in backoff after this attempt, when both ends are known.
    public var backoffWait: Double? {
        guard let retryAt, let ended else { return nil }
        return max(0, retryAt - ended)
    }

    public static func == (lhs: Attempt, rhs: Attempt) -> Bool {
        lhs.storedNumber == rhs.storedNumber && lhs.worker == rhs.worker && lhs.received == rhs.received
            && lhs.started == rhs.started && lhs.ended == rhs.ended && lhs.outcome == rhs.outcome
            && lhs.exception == rhs.exception && lhs.runtime == rhs.runtime && lhs.eta == rhs.eta
            && lhs.retryAt == rhs.retryAt && lhs.sent == rhs.sent && lhs.receivedClock32 == rhs.receivedClock32
            && lhs.startedClock32 == rhs.startedClock32 && lhs.endedClock32 == rhs.endedClock32
            && lhs.beginningUnseen == rhs.beginningUnseen && lhs.fromJournal == rhs.fromJournal
    }
}
