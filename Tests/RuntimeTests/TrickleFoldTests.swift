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
    private final class TrickleSource: EventSource {
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

        init(rate: Double, seconds: Double, clock: ManualClock) {
            self.rate = rate
            self.seconds = seconds
            self.clock = clock
            self.startedAt = clock.now
            self.builder = EventBuilder(time: clock.now - 30)
        }

        func start() {}
        func stop() {}

        private func arrive() {
            polls += 1
            let due = Int((min(clock.now - startedAt, seconds) * rate + 1e-6).rounded(.down))
            while arrivals < due {
                // Stamped with when it arrived, not when this poll saw it.
                let arrivedAt = startedAt + Double(arrivals) / rate
                arrivals += 1
                pending.append((builder.received("trickle-\(arrivals)"), arrivedAt))
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

    /// While a trickle is held back the loop sleeps until the next event frame: about 10 wake-ups a
    /// second (the frame after an event frame, and the event frame), not 20.
    @Test func whileATrickleWaitsTheLoopSleepsUntilTheEventFrame() {
        let (source, _) = Self.run(seconds: 3, rate: 100, arriving: 2.7)
        #expect(source.polls <= 33, "\(source.polls) polls in 3 s")
        #expect(source.polls >= 25, "\(source.polls) polls in 3 s")
        #expect(source.delivered == 270)
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
