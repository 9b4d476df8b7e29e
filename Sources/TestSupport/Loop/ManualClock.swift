import Foundation

/// A clock that moves only when a test moves it: the loop's frame clock and the dashboard's time in loop tests.
///
/// Thread-safe (an effect thread may read it while the loop advances it).
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double

    public init(at seconds: Double = 0) {
        self.seconds = seconds
    }

    public var now: Double { lock.withLock { seconds } }

    public func advance(by delta: Double) {
        lock.withLock { seconds += delta }
    }
}
