/// Gap bookkeeping: opening and closing the loss windows, and the questions the screens ask of them.
///
/// Why here: the subscriber (an adapter) decides *when* a window opens and closes, but the rules
/// (one open window at a time, the bound, where a disconnect's window starts, what "spans a gap"
/// means) are pure and must be testable without a socket or a clock. All times are epoch seconds
/// passed in; nothing here reads a clock.
extension ConnectionState {
    /// The reason recorded for a gap opened because the broker stopped answering PINGs.
    public static let stalledReason = "stalled"
    /// The reason recorded for a gap opened because decoding fell behind and the inbox, full, dropped
    /// whole messages (each counted): the subscriber stayed connected, the loss is known.
    public static let inboxFullReason = "decode fell behind: inbox full, messages dropped (counted)"

    /// The window still open, if any (always the last one: at most one is open).
    public var openGap: Gap? {
        guard let last = gaps.last, last.to == nil else { return nil }
        return last
    }

    /// Opens a window at `from` unless one is already open (a stall that ends in a reconnect is one
    /// window, not two). Keeps the last `maxGaps` windows.
    public mutating func openGap(from: Double, reason: String) {
        guard openGap == nil else { return }
        gaps.append(Gap(from: from, to: nil, reason: reason))
        if gaps.count > Self.maxGaps { gaps.removeFirst(gaps.count - Self.maxGaps) }
    }

    /// Closes the open window at `at` (never before its start); does nothing when none is open.
    public mutating func closeGap(at: Double) {
        guard let last = gaps.indices.last, gaps[last].to == nil else { return }
        gaps[last].to = max(at, gaps[last].from)
    }

    /// Windows open at some time in the hour before `now` (open ones count), for the header.
    public func gapsInLastHour(now: Double) -> Int {
        gaps.reduce(0) { count, gap in (gap.to ?? now) >= now - 3_600 ? count + 1 : count }
    }

    /// Windows that overlap `lower...upper` (an open window runs to `now`), oldest first.
    public func gaps(overlapping lower: Double, _ upper: Double, now: Double) -> [Gap] {
        gaps.filter { $0.from <= upper && ($0.to ?? now) >= lower }
    }

    /// Where the loss window of a dropped connection starts.
    ///
    /// Redis drops a slow subscriber long after the first message it could not deliver, so the
    /// disconnect time understates the loss. Everything published before `caughtUpAt` (the time a
    /// PING was sent whose PONG came back: Redis answers in order) was delivered, and so was the last
    /// event read (`lastEventAt`, its sender's timestamp); loss can only start after the later of the
    /// two. The result never passes `disconnectAt` (sender clocks may run ahead) and falls back to it
    /// when neither is known or both are bogus.
    public static func disconnectGapStart(disconnectAt: Double, caughtUpAt: Double?, lastEventAt: Double?) -> Double {
        let known = [caughtUpAt, lastEventAt].compactMap { $0 }.filter(\.isFinite)
        guard let latest = known.max() else { return disconnectAt }
        return min(latest, disconnectAt)
    }
}
