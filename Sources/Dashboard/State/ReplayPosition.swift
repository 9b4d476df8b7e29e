/// Where a replay stands: the recording's time, how many of its events were delivered, paused or not.
///
/// Sent by a replay source every frame (`Message.replay`); nil in `AppState` when watching a live broker.
public struct ReplayPosition: Sendable, Equatable {
    /// The recording's time now (epoch seconds).
    public var time: Double
    /// Events delivered so far, of `total`.
    public var delivered: Int
    public var total: Int
    public var paused: Bool
    public var speed: Double

    public init(time: Double, delivered: Int, total: Int, paused: Bool, speed: Double) {
        self.time = time
        self.delivered = delivered
        self.total = total
        self.paused = paused
        self.speed = speed
    }
}
