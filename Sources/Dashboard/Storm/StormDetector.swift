import Monitor

/// Decides which task names are in a retry storm right now. Pure: rates in, alerts out.
///
/// A name storms when its retries in the last minute exceed `max(floor, factor × baseline)`, where the
/// baseline is its average retries per minute over the `baselineMinutes` before that minute (the
/// previous 14 minutes by default, as far as the 15-minute rate window reaches). The floor keeps a
/// quiet task that goes from 1 to 4 retries from raising an alarm; the factor keeps a steadily busy
/// task that always retries from being flagged. Cost: a few window sums per task name.
public struct StormDetector: Sendable, Equatable {
    public var floor: Int
    public var factor: Double
    public var baselineMinutes: Int

    public init(floor: Int = 10, factor: Double = 3, baselineMinutes: Int = 14) {
        self.floor = floor
        self.factor = factor
        self.baselineMinutes = baselineMinutes
    }

    /// Full minutes of watching needed before the last minute before anything is called a storm.
    public static let minimumBaselineMinutes = 2

    /// Storming names at `now`, worst first.
    ///
    /// `watchingSince` is when retrytop subscribed (nil: the rates reach back far enough, as in a
    /// replay). Before that nothing was counted, so the baseline covers only the minutes watched, and
    /// with fewer than `minimumBaselineMinutes` of them there is no baseline yet and no alert: opened in
    /// the middle of an incident, the first minute would otherwise always look like a storm.
    public func alerts(_ rates: [String: RateSeries], now: Double, watchingSince: Double? = nil) -> [StormAlert] {
        var minutes = baselineMinutes
        if let watchingSince {
            minutes = min(baselineMinutes, Int(saturating: ((now - 60 - watchingSince) / 60).rounded(.down)))
            guard minutes >= Self.minimumBaselineMinutes else { return [] }
        }
        var alerts: [StormAlert] = []
        for (name, series) in rates {
            let lastMinute = series.total(.retried, window: 60, endingAt: now)
            guard lastMinute > floor else { continue }
            let span = (minutes + 1) * 60
            let before = series.total(.retried, window: span, endingAt: now) - lastMinute
            let baseline = Double(before) / Double(minutes)
            if Double(lastMinute) > max(Double(floor), factor * baseline) {
                alerts.append(StormAlert(name: name, retriesPerMinute: lastMinute, baselinePerMinute: baseline))
            }
        }
        return alerts.sorted { $0.retriesPerMinute != $1.retriesPerMinute ? $0.retriesPerMinute > $1.retriesPerMinute : $0.name < $1.name }
    }
}
