import Dashboard
import Foundation
import Monitor
import Runtime
import TerminalUI
import Testing
import TestSupport

/// Redraws caused by events are capped at `eventFramesPerSecond` (5 by default): at an everyday rate
/// every 20 fps frame has new events, and each redraw costs a whole screen. Every event still reaches
/// the screen at most one event frame (200 ms) after the frame that folded it.
@Suite struct EventFrameCapTests {
    /// Hands out one task-started event per poll for `eventPolls` polls, and records how many grids
    /// the terminal had drawn when each poll began (so a test can tell which frame drew).
    private final class StreamingSource: EventSource {
        let eventPolls: Int
        let terminal: TestTerminal
        let clock: ManualClock
        var builder: EventBuilder
        private(set) var polledAt: [Double] = []
        private(set) var drawnBefore: [Int] = []

        init(eventPolls: Int, terminal: TestTerminal, clock: ManualClock) {
            self.eventPolls = eventPolls
            self.terminal = terminal
            self.clock = clock
            self.builder = EventBuilder(time: clock.now - 30)
        }

        func start() {}
        func stop() {}

        func poll() -> SourceUpdate {
            polledAt.append(clock.now)
            drawnBefore.append(terminal.frames.count)
            var update = SourceUpdate()
            let index = polledAt.count
            guard index <= eventPolls else { return update }
            update.events = [builder.received("cap-\(index)"), builder.started("cap-\(index)")]
            return update
        }
    }

    /// Runs a 20 fps loop for `seconds` of fake time with events in the first `eventPolls` frames;
    /// returns the source (polls, draws) and the terminal.
    private static func run(seconds: Double, eventPolls: Int, eventFPS: Double = 5) -> (StreamingSource, TestTerminal) {
        let clock = ManualClock(at: FakeTimeLoop.start)
        let terminal = TestTerminal(width: 120, height: 36)
        let source = StreamingSource(eventPolls: eventPolls, terminal: terminal, clock: clock)
        FakeTimeLoop.run(seconds: seconds, clock: clock, terminal: terminal, source: source, eventFPS: eventFPS)
        return (source, terminal)
    }

    /// The grids drawn in the frame of each poll (the last poll's frame counts up to the end).
    private static func drawsPerFrame(_ source: StreamingSource, _ terminal: TestTerminal) -> [Int] {
        let after = Array(source.drawnBefore.dropFirst()) + [terminal.frames.count]
        return zip(after, source.drawnBefore).map { $0 - $1 }
    }

    @Test func eventsInEveryFrameRedrawAtMostFiveTimesASecond() {
        let (source, terminal) = Self.run(seconds: 3, eventPolls: 1_000)
        // 3 s at 20 fps: 60 frames, each folding new events.
        #expect(source.polledAt.count >= 59, "\(source.polledAt.count) polls")
        let draws = Self.drawsPerFrame(source, terminal).reduce(0, +)
        // 5 event frames a second (15), plus at most one draw per new second of the clock (3), plus the first.
        #expect(draws <= 19, "\(draws) draws in 3 s")
        #expect(draws >= 15, "\(draws) draws in 3 s")
    }

    /// While events flow, the clock's new second is drawn by an event frame's draw rather than as a
    /// sixth draw: a draw that shows new events restarts the cap's interval, whichever caused it.
    @Test func whileEventsFlowTheNewSecondAddsNoDraw() {
        let (source, terminal) = Self.run(seconds: 3, eventPolls: 1_000)
        let draws = Self.drawsPerFrame(source, terminal)
        // At most 5 draws in any second of frames (20 frames), the first frame's draw aside.
        for start in stride(from: 1, to: draws.count - 20, by: 1) {
            let window = draws[start..<(start + 20)].reduce(0, +)
            #expect(window <= 5, "\(window) draws in frames \(start)..<\(start + 20): \(draws)")
        }
    }

    @Test func everyEventIsOnScreenWithinOneEventFrame() throws {
        let (source, terminal) = Self.run(seconds: 2, eventPolls: 30)
        let draws = Self.drawsPerFrame(source, terminal)
        // The grid drawn in each frame, by frame index (nil: nothing drawn in that frame).
        var gridAt: [Int: Grid] = [:]
        for (frame, count) in draws.enumerated() where count > 0 {
            gridAt[frame] = terminal.frames[source.drawnBefore[frame] + count - 1]
        }
        for frame in 0..<30 {
            // By frame `frame`, `frame + 1` tasks have started.
            let drawn = try #require(
                (frame..<draws.count).first { gridAt[$0] != nil }, "the events of frame \(frame) were never drawn")
            let latency = source.polledAt[drawn] - source.polledAt[frame]
            #expect(latency <= 0.2 + 1e-6, "frame \(frame) drawn \(latency) s later")
            let text = gridAt[drawn]?.plainText() ?? ""
            let shown = Int(text.components(separatedBy: "STARTED ").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? -1
            #expect(shown >= frame + 1, "frame \(frame): the screen drawn \(latency) s later shows STARTED \(shown)")
        }
        // After the last event the screen settles on everything: 30 started.
        #expect(terminal.lastFrame?.plainText().contains("STARTED 30") == true)
    }

    @Test func theFirstEventAfterAQuietSpellIsDrawnInItsOwnFrame() {
        let (source, terminal) = Self.run(seconds: 1, eventPolls: 1)
        let draws = Self.drawsPerFrame(source, terminal)
        #expect(draws.first == 1, "\(draws.prefix(5))")
    }

    @Test func aCapAtTheFrameRateDrawsEveryFrameWithEvents() {
        let (source, terminal) = Self.run(seconds: 1, eventPolls: 1_000, eventFPS: 20)
        let draws = Self.drawsPerFrame(source, terminal)
        #expect(draws.allSatisfy { $0 == 1 }, "\(draws)")
    }
}
