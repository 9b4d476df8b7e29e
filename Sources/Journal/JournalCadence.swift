/// When the journal writer commits, marks its session alive and applies retention: a pure schedule,
/// so the writer sleeps exactly until the next thing it has to do.
///
/// Why: an idle writer that polled every 20 ms and marked its session alive every 0.25 s kept a quiet
/// recorder waking 50 times a second. The rules: with changes waiting, commit at most every
/// `commitInterval` (one transaction per interval, so at most about a second of changes in one);
/// with none, mark the session alive every `aliveInterval` (a commit marks it too), which bounds the
/// gap a crash leaves unrecorded (the next session's gap starts at the last mark); retention every
/// `retentionInterval`. Times are the writer's clock (epoch seconds, injected in tests).
struct JournalCadence: Equatable {
    var commitInterval: Double
    var aliveInterval: Double
    var retentionInterval: Double
    /// The last transaction (a commit, or a mark of the session alive).
    private(set) var lastCommit: Double
    private(set) var lastAlive: Double
    private(set) var lastRetention = -Double.infinity

    init(commitInterval: Double, aliveInterval: Double, retentionInterval: Double, now: Double) {
        self.commitInterval = commitInterval
        self.aliveInterval = aliveInterval
        self.retentionInterval = retentionInterval
        lastCommit = now
        lastAlive = now
    }

    init(_ configuration: JournalConfiguration, now: Double) {
        self.init(
            commitInterval: configuration.commitInterval, aliveInterval: configuration.aliveInterval,
            retentionInterval: configuration.retentionInterval, now: now)
    }

    /// Whether a transaction is due at `now`: a commit of waiting changes, or a mark of the session alive.
    func transactionDue(now: Double, hasChanges: Bool) -> Bool {
        hasChanges ? now - lastCommit >= commitInterval : now - lastAlive >= aliveInterval
    }

    func retentionDue(now: Double) -> Bool {
        now - lastRetention >= retentionInterval
    }

    /// A transaction ran at `now` (it marks the session alive too).
    mutating func transacted(at now: Double) {
        lastCommit = now
        lastAlive = now
    }

    mutating func retained(at now: Double) {
        lastRetention = now
    }

    /// Seconds to sleep from `now` until something is due (new changes wake the writer earlier).
    func delay(now: Double, hasChanges: Bool) -> Double {
        var next = min(lastAlive + aliveInterval, lastRetention + retentionInterval)
        if hasChanges { next = min(next, lastCommit + commitInterval) }
        return max(0, next - now)
    }
}
