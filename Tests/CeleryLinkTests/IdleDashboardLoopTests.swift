import Dashboard
import Foundation
import Monitor
import Runtime
import TerminalUI
import Testing
import TestSupport

/// An idle dashboard builds a screen once a second (when countdowns and "ago" times move), not once
/// per frame; anything that arrives after a quiet spell is drawn in the frame it arrives in (in a steady
/// stream of events at most one event frame later: `EventFrameCapTests`).
@Suite struct IdleDashboardLoopTests {
    /// A source that delivers nothing except `events` at poll number `deliverAt`.
    private final class ScriptedSource: EventSource {
        var polls = 0
        let deliverAt: Int
        let events: [CeleryEvent]

        init(deliverAt: Int = .max, events: [CeleryEvent] = []) {
            self.deliverAt = deliverAt
            self.events = events
        }

        func start() {}
        func stop() {}

        func poll() -> SourceUpdate {
            polls += 1
            var update = SourceUpdate()
            if polls == deliverAt { update.events = events }
            return update
        }
    }

    /// Runs the loop for `frames` frames of a clock that moves 50 ms per frame (100 fps of wall time);
    /// returns how many grids were drawn in each frame, by frame index.
    private static func run(source: ScriptedSource, frames: Int, start: Double = 1_795_696_000.5) -> [Int] {
        let terminal = TestTerminal(width: 200, height: 50)
        var ticks = 0
        var drawsBefore: [Int] = []
        let loop = DashboardLoop(
            state: AppState(width: 200, height: 50, now: start), terminal: terminal, source: source,
            effects: EffectRunner(actions: nil),
            clock: {
                drawsBefore.append(terminal.frames.count)
                ticks += 1
                return start + Double(ticks) * 0.05
            },
            frameClock: { ProcessInfo.processInfo.systemUptime },
            configuration: .init(framesPerSecond: 100), shouldStop: { ticks >= frames })
        loop.run()
        drawsBefore.append(terminal.frames.count)
        return zip(drawsBefore.dropFirst(), drawsBefore).map { $0 - $1 }
    }

    @Test func anIdleDashboardDrawsOncePerSecondOfItsClock() {
        let draws = Self.run(source: ScriptedSource(), frames: 60)
        // 60 frames span 3 s of the dashboard's clock: a screen when each second begins, not 60.
        #expect(draws.count == 60)
        #expect(draws.reduce(0, +) <= 4, "drawn \(draws.reduce(0, +)) times in 60 idle frames")
        #expect(draws.reduce(0, +) >= 3)
    }

    @Test func eventsAreDrawnInTheFrameTheyArrive() {
        var builder = EventBuilder(time: 1_795_696_001)
        let source = ScriptedSource(deliverAt: 25, events: [builder.received("t-1"), builder.started("t-1")])
        let draws = Self.run(source: source, frames: 40)
        // Frame index 24 (the 25th poll) folds the events and draws them at once.
        #expect(draws[24] == 1)
        #expect(draws.reduce(0, +) <= 4)
    }
}
