import Dashboard
import Foundation
import Monitor
import Runtime
import TerminalUI
import Testing
import TestSupport

/// Between event frames the loop leaves a trickle of events with the source and folds it when the next
/// event frame is due: at 2,000 events/s one decode and fold of a frame's events (about 400) costs less
/// per event than four of about 100 (`retrytop bench --only lowrate`). A backlog as large as
/// `DashboardLoop.holdBackBelow` is still taken every frame, as in a storm.
@Suite struct TrickleFoldTests {
    /// `perFrame` events arrive at every poll (one poll per frame); `poll()` hands over everything that
    /// waits, `poll(holdingBackFewerThan:)` only once `limit` wait, like `LiveEventSource`.
    private final class TrickleSource: EventSource {
        let perFrame: Int
        let frames: Int
        let clock: ManualClock
        var builder: EventBuilder
        private var pending: [(event: CeleryEvent, arrived: Double)] = []
        private var arrivals = 0
        /// Each hand-over: when, how many events, and how long the oldest of them had waited.
        private(set) var deliveries: [(at: Double, count: Int, waited: Double)] = []
        private(set) var polls = 0

        init(perFrame: Int, frames: Int, clock: ManualClock) {
            self.perFrame = perFrame
            self.frames = frames
            self.clock = clock
            self.builder = EventBuilder(time: clock.now - 30)
        }

        func start() {}
        func stop() {}

        private func arrive() {
            polls += 1
            guard polls <= frames else { return }
            for _ in 0..<perFrame {
                arrivals += 1
                pending.append((builder.received("trickle-\(arrivals)"), clock.now))
            }
        }

        private func deliver() -> SourceUpdate {
            var update = SourceUpdate()
            guard let oldest = pending.first else { return update }
            update.events = pending.map(\.event)
            deliveries.append((clock.now, pending.count, clock.now - oldest.arrived))
            pending.removeAll()
            return update
        }

        func poll() -> SourceUpdate {
            arrive()
            return deliver()
        }

        func poll(holdingBackFewerThan limit: Int) -> SourceUpdate {
            arrive()
            return pending.count >= limit ? deliver() : SourceUpdate()
        }

        var delivered: Int { deliveries.reduce(0) { $0 + $1.count } }
    }

    /// Runs a 20 fps loop with 5 event frames a second for `seconds` of fake time.
    private static func run(seconds: Double, perFrame: Int, frames: Int) -> (TrickleSource, DashboardLoop) {
        let clock = ManualClock(at: 1_795_700_000.3)
        let end = clock.now + seconds
        let terminal = TestTerminal(width: 120, height: 36)
        terminal.onWait = { clock.advance(by: Double($0) / 1_000) }
        let source = TrickleSource(perFrame: perFrame, frames: frames, clock: clock)
        let loop = DashboardLoop(
            state: AppState(width: 120, height: 36, now: clock.now), terminal: terminal, source: source,
            effects: EffectRunner(actions: nil), clock: { clock.now }, frameClock: { clock.now },
            configuration: DashboardLoop.Configuration(framesPerSecond: 20, eventFramesPerSecond: 5),
            shouldStop: { clock.now >= end })
        loop.run()
        return (source, loop)
    }

    @Test func aTrickleIsTakenOncePerEventFrame() {
        // 2 events in each of 60 frames (40 events/s... of fake time; the count per frame is what matters).
        let (source, loop) = Self.run(seconds: 4, perFrame: 2, frames: 60)
        #expect(source.polls >= 70, "\(source.polls) polls")
        // 3 s of arrivals: 5 event frames a second and the first frame, not one hand-over per frame.
        #expect(source.deliveries.count <= 17, "\(source.deliveries.count) hand-overs: \(source.deliveries.map(\.count))")
        #expect(source.deliveries.count >= 14, "\(source.deliveries.count) hand-overs")
        // Nothing is lost or left behind, and nothing waits longer than one event frame.
        #expect(source.delivered == 120)
        #expect(loop.state.monitor.tasks.count == 120)
        for delivery in source.deliveries {
            #expect(delivery.waited <= 0.2 + 1e-6, "a hand-over of \(delivery.count) events waited \(delivery.waited) s")
        }
    }

    @Test func theFirstEventAfterAQuietSpellIsTakenInItsOwnFrame() {
        let (source, _) = Self.run(seconds: 1, perFrame: 1, frames: 1)
        #expect(source.deliveries.count == 1)
        #expect(source.deliveries.first?.waited == 0)
    }

    @Test func aBacklogIsTakenEveryFrame() {
        let perFrame = DashboardLoop.holdBackBelow
        let (source, loop) = Self.run(seconds: 1, perFrame: perFrame, frames: 10)
        #expect(source.deliveries.count == 10, "\(source.deliveries.map(\.count))")
        #expect(source.deliveries.allSatisfy { $0.waited == 0 && $0.count == perFrame })
        #expect(loop.state.monitor.tasks.count == 10 * perFrame)
    }
}
