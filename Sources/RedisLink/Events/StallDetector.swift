/// Decides, from the times replies arrive, when a quiet subscriber should PING the broker, when its
/// silence becomes a stall (a gap), and when to give up on the connection and reconnect.
///
/// Why: a broker that stops (SIGSTOP, a frozen VM, a dead network path without a reset) leaves a
/// pub/sub reader waiting forever on a healthy-looking socket, and the header would keep saying
/// "connected" while every event is lost. Redis answers PING in pub/sub mode (`["pong", ""]`), in order
/// with the messages, so a PONG also proves that everything published before the PING was delivered
/// (`caughtUpAt`).
///
/// Pure: times are seconds on a monotonic clock, passed in by the reader thread; tests drive it with
/// plain numbers. Invariants: at most one PING is outstanding; a stall is reported once until a
/// reply ends it; `reconnect` is returned only after `stallAfter`. Bounds: constant size.
public struct StallDetector: Sendable, Equatable {
    /// How patient the subscriber is, in seconds of silence since the last reply.
    public struct Timing: Sendable, Equatable {
        /// Silence after which a PING is sent.
        public var pingInterval: Double
        /// Silence after which the link counts as stalled and a gap opens (from the last reply).
        public var stallAfter: Double
        /// Silence after which the connection is dropped and re-established.
        public var reconnectAfter: Double

        public init(pingInterval: Double = 1, stallAfter: Double = 3, reconnectAfter: Double = 12) {
            precondition(pingInterval > 0 && stallAfter > pingInterval && reconnectAfter > stallAfter, "invalid stall timing")
            self.pingInterval = pingInterval
            self.stallAfter = stallAfter
            self.reconnectAfter = reconnectAfter
        }

        /// A stall shows within 3 s of the last reply (plus one read timeout): well inside 5 s.
        public static let `default` = Timing()
    }

    /// What the reader should do after a read timed out.
    public enum Action: Sendable, Equatable {
        /// Nothing; keep reading.
        case wait
        /// Send a PING (none is outstanding).
        case ping
        /// The link just became stalled; its gap starts at the last reply, `since`.
        case stalled(since: Double)
        /// The stall has lasted too long: drop the connection and reconnect.
        case reconnect
    }

    public let timing: Timing
    /// When the last reply of any kind arrived.
    public private(set) var lastReplyAt: Double
    /// When the outstanding PING was sent, if one is.
    public private(set) var pingSentAt: Double?
    /// Everything published before this instant has been delivered: the subscribe confirmation, or
    /// the sending of the last PING answered.
    public private(set) var caughtUpAt: Double
    /// Whether a stall has been reported and no reply has ended it yet.
    public private(set) var isStalled = false

    /// A detector for a connection whose subscription was confirmed at `subscribedAt`.
    public init(timing: Timing = .default, subscribedAt: Double) {
        self.timing = timing
        self.lastReplyAt = subscribedAt
        self.caughtUpAt = subscribedAt
    }

    /// Records a reply read at `now`; `isPong` when it answers our PING. Returns true when the reply
    /// ends a reported stall (the gap closes at `now`).
    public mutating func replyReceived(at now: Double, isPong: Bool) -> Bool {
        lastReplyAt = max(lastReplyAt, now)
        if isPong, let sent = pingSentAt {
            caughtUpAt = max(caughtUpAt, sent)
            pingSentAt = nil
        }
        let ended = isStalled
        isStalled = false
        return ended
    }

    /// What to do after a read timed out at `now`.
    public mutating func check(at now: Double) -> Action {
        let silence = now - lastReplyAt
        if silence >= timing.reconnectAfter { return .reconnect }
        if silence >= timing.stallAfter, !isStalled {
            isStalled = true
            return .stalled(since: lastReplyAt)
        }
        if silence >= timing.pingInterval, pingSentAt == nil {
            pingSentAt = now
            return .ping
        }
        return .wait
    }
}
