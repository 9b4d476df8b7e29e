import Dashboard
import Foundation
import Monitor
import Runtime
import TestSupport
import Testing

/// A replay's clock, pause, single step and seek, driven by a fake wall clock.
@Suite("ReplayEventSource")
struct ReplayEventSourceTests {
    final class Wall: @unchecked Sendable {
        var now = 1_000.0
    }

    /// Ten heartbeats one second apart, from t0.
    static func source(_ wall: Wall) -> (ReplayEventSource, Double) {
        var builder = EventBuilder(worker: "celery@api-1", time: 1_795_696_000)
        let lines = (0..<10).map { _ in EventLine.render(builder.heartbeat(after: 1)) }.joined(separator: "\n")
        let recording = EventRecording(bytes: Array(lines.utf8))
        let source = ReplayEventSource(recording: recording, speed: 1, wallClock: { wall.now })
        source.start()
        return (source, recording.firstTimestamp)
    }

    @Test func playsPausesStepsAndSeeks() {
        let wall = Wall()
        let (source, t0) = Self.source(wall)
        var update = source.poll()
        #expect(update.events.count == 1)
        #expect(update.replay == ReplayPosition(time: t0, delivered: 1, total: 10, paused: false, speed: 1))
        wall.now += 2.5
        update = source.poll()
        #expect(update.events.count == 2)
        #expect(update.replay?.delivered == 3)

        // Paused: wall time passes, the recording's does not.
        source.control(.togglePause)
        wall.now += 5
        update = source.poll()
        #expect(update.events.isEmpty)
        #expect(update.replay?.paused == true)
        #expect(source.currentTime == t0 + 2.5)

        // One step: exactly the next event, and the clock moves to it.
        source.control(.step)
        update = source.poll()
        #expect(update.events.count == 1)
        #expect(update.replay?.delivered == 4)
        #expect(source.currentTime == t0 + 3)

        // Forward 10 s (clamped to the end): the rest at once.
        source.control(.seek(seconds: 10))
        update = source.poll()
        #expect(update.events.count == 6)
        #expect(update.finished)
        #expect(!update.restarted)

        // Back 5 s: restarted from the first event up to the new time.
        source.control(.seek(seconds: -5))
        update = source.poll()
        #expect(update.restarted)
        #expect(update.events.count == 5)
        #expect(update.replay?.delivered == 5)
        #expect(source.currentTime == t0 + 4)
    }
}
