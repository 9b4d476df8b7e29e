import Foundation
import Monitor

/// Plays a file written by `retrytop events` at recorded speed (or `speed` times faster).
///
/// The replay has its own clock: `recordedTime(at:)` maps the wall clock onto the recording's
/// timeline, and the dashboard's `now` follows it, so countdowns and rates read as they did live.
/// Bad lines are counted by the decoder like bad messages from the broker, never fatal.
/// Bound: the whole recording is held in memory as decoded events (it was written by this tool).
public final class ReplayEventSource: EventSource {
    public let speed: Double
    private var events: [CeleryEvent] = []
    private var pendingStats = DecodeStats()
    private var cursor = 0
    private var wallStart: Double = 0
    private let wallClock: () -> Double
    public private(set) var firstTimestamp: Double = 0

    /// Reads and decodes the recording at `path`.
    public init(path: String, speed: Double, wallClock: @escaping () -> Double) throws {
        self.speed = max(0.01, speed)
        self.wallClock = wallClock
        let recording = EventRecording(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        events = recording.events
        pendingStats = recording.stats
        firstTimestamp = recording.firstTimestamp
    }

    /// The recording's time now: its first timestamp plus elapsed wall time × speed.
    public func recordedTime(at wall: Double) -> Double {
        firstTimestamp + (wall - wallStart) * speed
    }

    public var eventCount: Int { events.count }

    public func start() {
        wallStart = wallClock()
    }

    public func stop() {}

    public func poll() -> SourceUpdate {
        var update = SourceUpdate()
        update.counters.decode = pendingStats
        pendingStats = DecodeStats()
        let horizon = recordedTime(at: wallClock())
        let start = cursor
        while cursor < events.count, events[cursor].timestamp <= horizon { cursor += 1 }
        update.events = Array(events[start..<cursor])
        update.finished = cursor == events.count
        return update
    }
}
