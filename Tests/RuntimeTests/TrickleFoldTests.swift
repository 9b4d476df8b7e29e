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
    /// Events arrive at `rate` a second for `seconds` of the clock (counted at each poll); `poll()` hands
    /// over everything that waits, `poll(holdingBackFewerThan:)` only once `limit` wait, like
    /// `LiveEventSource`, and says when it kept some.
    final class TrickleSource: EventSource {
        let rate: Double
        let seconds: Double
        let clock: ManualClock
        let startedAt: Double
        var builder: EventBuilder
        private var pending: [(event: CeleryEvent, arrived: Double)] = []
        private var arrivals = 0
        /// Each hand-over: when, how many events, and how long the oldest of them had waited.
        private(set) var deliveries: [(at: Double, count: Int, waited: Double)] = []
        private(set) var polls = 0

        /// From `at` seconds on, events arrive at this rate instead.
        let surge: (at: Double, rate: Double)?

        init(rate: Double, seconds: Double, clock: ManualClock, surge: (at: Double, rate: Double)? = nil) {
            self.rate = rate
            self.surge = surge
            self.seconds = seconds
            self.clock = clock
            self.startedAt = clock.now
            self.builder = EventBuilder(time: clock.now - 30)
        }

        func start() {}
        func stop() {}

        private func arrive() {
            polls += 1
            let elapsed = min(clock.now - startedAt, seconds)
            let due = Int((arrived(by: elapsed) + 1e-6).rounded(.down))
            while arrivals < due {
                // Stamped with when it arrived, not when this poll saw it.
                let arrivedAt = startedAt + arrivalTime(of: arrivals)
                arrivals += 1
                pending.append((builder.received("trickle-\(arrivals)"), arrivedAt))
            }
        }

        /// Events arrived in the first `elapsed` seconds.
        private func arrived(by elapsed: Double) -> Double {
            guard let surge, elapsed > surge.at else { return elapsed * rate }
            return surge.at * rate + (elapsed - surge.at) * surge.rate
        }

        /// Seconds after the start at which event `index` (from 0) arrives.
        private func arrivalTime(of index: Int) -> Double {
            let index = Double(index)
            guard let surge, index >= surge.at * rate else { return index / rate }
            return surge.at + (index - surge.at * rate) / surge.rate
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
            if pending.count >= limit { return deliver() }
            var update = SourceUpdate()
            update.eventsHeldBack = !pending.isEmpty
            return update
        }

        var delivered: Int { deliveries.reduce(0) { $0 + $1.count } }
    }

    /// Runs a 20 fps loop with 5 event frames a second for `seconds` of fake time, with events arriving
    /// at `rate` a second for `arriving` seconds.
    private static func run(seconds: Double, rate: Double, arriving: Double) -> (TrickleSource, DashboardLoop) {
        let clock = ManualClock(at: FakeTimeLoop.start)
        let source = TrickleSource(rate: rate, seconds: arriving, clock: clock)
        let loop = FakeTimeLoop.run(seconds: seconds, clock: clock, terminal: TestTerminal(width: 120, height: 36), source: source)
        return (source, loop)
    }

    @Test func aTrickleIsTakenOncePerEventFrame() {
        // 40 events a second for 3 s (one or two in every 50 ms frame), then 0.5 s of quiet.
        let (source, loop) = Self.run(seconds: 3.5, rate: 40, arriving: 3)
        // 3 s of arrivals: 5 event frames a second and the first frame, not one hand-over per frame.
        #expect(source.deliveries.count <= 17, "\(source.deliveries.count) hand-overs: \(source.deliveries.map(\.count))")
        #expect(source.deliveries.count >= 14, "\(source.deliveries.count) hand-overs")
        // Nothing is lost or left behind, and nothing waits longer than one event frame and one frame.
        #expect(source.delivered == 120)
        #expect(loop.state.monitor.tasks.count == 120)
        for delivery in source.deliveries {
            #expect(delivery.waited <= 0.25 + 1e-6, "a hand-over of \(delivery.count) events waited \(delivery.waited) s")
        }
    }

    /// While a trickle flows the loop sleeps from one event frame to the next: about 5 wake-ups a
    /// second, not 20. (It used to wake once more after each event frame, to find the trickle held back:
    /// 25–33 polls in 3 s.)
    @Test func whileATrickleFlowsTheLoopSleepsFromEventFrameToEventFrame() {
        let (source, _) = Self.run(seconds: 3, rate: 100, arriving: 2.7)
        #expect(source.polls <= 19, "\(source.polls) polls in 3 s")
        #expect(source.polls >= 14, "\(source.polls) polls in 3 s")
        #expect(source.delivered == 270)
    }

    /// A trickle is drawn once per event frame, and the clock's new second is drawn by the next event
    /// frame, not by a draw of its own: 5 screens a second. (A frame that held the trickle back drew each
    /// new second at once: about 5.7 screens a second at 2,000 events/s, 12% more drawing.)
    @Test func aTrickleIsDrawnOncePerEventFrame() {
        let terminal = TestTerminal(width: 120, height: 36)
        let clock = ManualClock(at: FakeTimeLoop.start)
        let source = TrickleSource(rate: 100, seconds: 4, clock: clock)
        FakeTimeLoop.run(seconds: 4, clock: clock, terminal: terminal, source: source)
        // 4 s: 20 event frames, the first frame, and the resize's.
        #expect(terminal.frames.count <= 22, "\(terminal.frames.count) screens in 4 s")
        #expect(terminal.frames.count >= 18, "\(terminal.frames.count) screens in 4 s")
    }

    /// When a trickle stops, the loop goes back to its 20 fps frames (so a first event after the quiet
    /// is taken in its own frame).
    @Test func aTrickleThatStopsEndsTheLongSleeps() {
        let quiet = Self.run(seconds: 3, rate: 100, arriving: 1).0
        // 1 s of trickle (about 5 polls), then 2 s of quiet at 20 fps (about 40).
        #expect(quiet.polls >= 40, "\(quiet.polls) polls")
    }

    /// A trickle that grows into a storm is taken every frame again from the first event frame that
    /// finds the backlog: never more than one event frame's sleep behind.
    @Test func aTrickleThatGrowsIntoABacklogIsTakenEveryFrameAgain() {
        let clock = ManualClock(at: FakeTimeLoop.start)
        let source = TrickleSource(rate: 100, seconds: 2, clock: clock, surge: (at: 1, rate: 60_000))
        let loop = FakeTimeLoop.run(seconds: 2.06, clock: clock, terminal: TestTerminal(width: 120, height: 36), source: source)
        let surge = source.deliveries.filter { $0.at - source.startedAt > 1 }
        let shape = surge.map { "\($0.count)@\($0.at - source.startedAt) waited \($0.waited)" }
        // The first hand-over of the surge waited at most one event frame; every later one a frame.
        #expect(surge.first.map { $0.waited <= 0.2 + 1e-6 } == true, "\(shape)")
        #expect(surge.count >= 16, "\(shape)")
        #expect(surge.dropFirst().allSatisfy { $0.waited <= 0.051 }, "\(shape)")
        #expect(loop.state.monitor.tasks.count == source.delivered)
    }

    @Test func theFirstEventAfterAQuietSpellIsTakenInItsOwnFrame() {
        // One event, 10 ms after the start: seen by the next frame and taken there.
        let (source, _) = Self.run(seconds: 1, rate: 100, arriving: 0.015)
        #expect(source.deliveries.count == 1)
        #expect((source.deliveries.first?.waited ?? 1) <= 0.05 + 1e-6)
    }

    @Test func aBacklogIsTakenEveryFrame() {
        // 60,000 events a second: 3,000 in every 50 ms frame, more than `holdBackBelow`.
        #expect(DashboardLoop.holdBackBelow == 2_000)
        let (source, loop) = Self.run(seconds: 0.56, rate: 60_000, arriving: 0.5)
        #expect(source.deliveries.count >= 10, "\(source.deliveries.map(\.count))")
        let shape = source.deliveries.map { "\($0.count)@\($0.at - source.startedAt) waited \($0.waited)" }
        #expect(source.deliveries.dropFirst().allSatisfy { $0.count >= 2_000 && $0.waited <= 0.051 }, "\(shape)")
        // Every event that arrived (the clock's steps leave the last one or so of 30,000 out) was taken.
        #expect(source.delivered >= 29_990)
        #expect(loop.state.monitor.tasks.count == source.delivered)
    }
}
