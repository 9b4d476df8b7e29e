import Dashboard
import Foundation
import Monitor

/// Plays a file written by `retrytop events` at recorded speed (or `speed` times faster), and can
/// pause, step one event and seek.
///
/// The replay has its own clock: `currentTime` is the recording's time, advanced at each `poll` by the
/// wall time since the last one × speed (not while paused); the dashboard's `now` follows it, so
/// countdowns and rates read as they did live. Seeking back cannot unfold events: the next poll says
/// `restarted` and delivers the recording again from its start up to the new time.
/// Bad lines are counted by the decoder like bad messages from the broker, never fatal.
/// Bound: the whole recording is held in memory as decoded events (it was written by this tool).
public final class ReplayEventSource: EventSource {
    public let speed: Double
    private var events: [CeleryEvent] = []
    private var pendingStats = DecodeStats()
    private var cursor = 0
    private var lastWall: Double = 0
    private var paused = false
    private var stepRequested = false
    private var restartRequested = false
    private let wallClock: () -> Double
    public let firstTimestamp: Double
    public let lastTimestamp: Double
    /// The recording's time now.
    public private(set) var currentTime: Double

    /// Reads and decodes the recording at `path`.
    public convenience init(path: String, speed: Double, wallClock: @escaping () -> Double) throws {
        self.init(recording: EventRecording(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path)))), speed: speed, wallClock: wallClock)
    }

    public init(recording: EventRecording, speed: Double, wallClock: @escaping () -> Double) {
        self.speed = max(0.01, speed)
        self.wallClock = wallClock
        events = recording.events
        pendingStats = recording.stats
        firstTimestamp = recording.firstTimestamp
        lastTimestamp = recording.lastTimestamp
        currentTime = recording.firstTimestamp
    }

    public var eventCount: Int { events.count }

    public func start() {
        lastWall = wallClock()
    }

    public func stop() {}

    public func control(_ command: ReplayControl) {
        switch command {
        case .togglePause:
            paused.toggle()
        case .step:
            paused = true
            stepRequested = true
        case .seek(let seconds):
            let target = min(max(firstTimestamp, currentTime + seconds), max(firstTimestamp, lastTimestamp))
            if target < currentTime { restartRequested = true }
            currentTime = target
        }
    }

    public func poll() -> SourceUpdate {
        var update = SourceUpdate()
        let wall = wallClock()
        if !paused { currentTime += max(0, wall - lastWall) * speed }
        lastWall = wall
        if restartRequested {
            // The link's counters live beside the model and are not reset: the bad lines stay counted once.
            restartRequested = false
            update.restarted = true
            cursor = 0
        }
        update.counters.decode = pendingStats
        pendingStats = DecodeStats()
        let start = cursor
        while cursor < events.count, events[cursor].timestamp <= currentTime { cursor += 1 }
        if stepRequested {
            stepRequested = false
            if cursor < events.count {
                currentTime = max(currentTime, events[cursor].timestamp)
                cursor += 1
            }
        }
        update.events = Array(events[start..<cursor])
        update.finished = cursor == events.count
        update.replay = ReplayPosition(time: currentTime, delivered: cursor, total: events.count, paused: paused, speed: speed)
        return update
    }
}
