import Actions
import Dashboard
import Foundation
import Monitor
import Runtime
import TerminalUI
import Testing
import TestSupport

/// The loop on fakes: a `TestTerminal` whose waits move a `ManualClock`, a scripted source, a scripted action port.
@Suite struct DashboardLoopTests {
    /// A loop whose terminal advances `clock` by every wait it would have done.
    static func loop(
        state: AppState = AppState(width: 120, height: 36), clock: ManualClock, source: ScriptedEventSource,
        actions: (any TaskActions)? = nil, keys: [Key] = [], fps: Double = 20, exitWhenSourceFinishes: Bool = false,
        stop: @escaping (DashboardLoop?) -> Bool
    ) -> (DashboardLoop, TestTerminal) {
        let terminal = TestTerminal(width: state.width, height: state.height, keys: keys)
        terminal.onWait = { clock.advance(by: Double($0) / 1_000) }
        final class Box: @unchecked Sendable { var loop: DashboardLoop? }
        let box = Box()
        let loop = DashboardLoop(
            state: state, terminal: terminal, source: source, effects: EffectRunner(actions: actions),
            clock: { clock.now }, frameClock: { clock.now },
            configuration: DashboardLoop.Configuration(framesPerSecond: fps, exitWhenSourceFinishes: exitWhenSourceFinishes),
            shouldStop: { stop(box.loop) })
        box.loop = loop
        return (loop, terminal)
    }

    @Test func framesArePacedByTheInjectedClockNotTheWallClock() {
        let clock = ManualClock()
        let source = ScriptedEventSource(clock: { clock.now })
        let (loop, terminal) = Self.loop(clock: clock, source: source, fps: 20) { _ in clock.now >= 2.0 }
        loop.run()
        // Two seconds of fake time at 20 fps: 40 frames (t = 0, 0.05, … 1.95), each polled once.
        #expect((40...41).contains(source.polledAt.count), "\(source.polledAt)")
        for (earlier, later) in zip(source.polledAt, source.polledAt.dropFirst()) {
            #expect(later - earlier >= 0.05 - 1e-9, "\(earlier) → \(later)")
        }
        // Nothing arrived: the screen is drawn on the first frame and when a new second begins (idle rule).
        #expect(terminal.frames.count == 2, "\(terminal.frames.count) draws")
        #expect(source.started && source.stopped)
        #expect(loop.state.now == source.polledAt.last)
    }

    @Test func aSourceUpdateReachesTheModelTheLinkAndTheScreen() {
        let clock = ManualClock(at: 1_795_700_000)
        var first = SourceUpdate()
        var builder = EventBuilder(time: clock.now - 1)
        first.events = [builder.received("loop-task-1", name: "app.fetch")]
        first.counters = LinkCounters(decode: DecodeStats(), inboxDropped: 3, inboxOversized: 0)
        first.connection = ConnectionState(phase: .connected, since: clock.now - 10, redactedURL: "redis://h:6379/0")
        let source = ScriptedEventSource(script: [first], clock: { clock.now })
        let (loop, terminal) = Self.loop(clock: clock, source: source) { _ in source.polledAt.count >= 2 }
        loop.run()
        #expect(loop.state.monitor.tasks["loop-task-1"] != nil)
        #expect(loop.state.link.inboxDropped == 3)
        #expect(loop.state.link.connection.phase == .connected)
        let text = terminal.lastFrame?.plainText() ?? ""
        #expect(text.contains("connected") && text.contains("dropped 3"), "\(text)")
    }

    @Test func aConfirmedRevokeRunsThroughThePortAndItsResultComesBack() {
        let clock = ManualClock(at: StormFixture.now)
        let actions = ScriptedTaskActions(receivers: 4)
        let source = ScriptedEventSource(clock: { clock.now })
        let deadline = Date().addingTimeInterval(10)
        let (loop, _) = Self.loop(
            state: StormFixture.appState(), clock: clock, source: source, actions: actions, keys: [.char("x"), .char("y")]
        ) { loop in
            loop?.state.status?.text.contains("to 4 workers") == true || Date() > deadline
        }
        loop.run()
        #expect(actions.revokeRequests.count == 1)
        let sent = actions.revokeRequests.first?.ids ?? []
        #expect(sent.count == 1)
        #expect(loop.state.status?.text.contains("Revoke sent for 1 task to 4 workers") == true, "\(String(describing: loop.state.status))")
        #expect(sent.allSatisfy { loop.state.monitor.tasks[$0]?.revokeSentAt != nil })
    }

    @Test func thePolicyRefreshIsAskedOnTheFirstTickAndEvery120Seconds() {
        let clock = ManualClock(at: 1_000)
        let actions = ScriptedTaskActions()
        let source = ScriptedEventSource(clock: { clock.now })
        // 250 s of fake time at 1 fps: refreshes at 1000, 1120 and 1240. The runner's shutdown at the
        // end of `run()` waits for the effects still in flight.
        let (loop, _) = Self.loop(clock: clock, source: source, actions: actions, fps: 1) { _ in clock.now >= 1_250 }
        loop.run()
        #expect(actions.policyRequests == 3)
        #expect(loop.state.policiesDueAt == 1_240 + AppState.policyRefreshSeconds)
    }

    @Test func qQuitsAndAHungUpTerminalEndsTheLoop() {
        let clock = ManualClock()
        let source = ScriptedEventSource(clock: { clock.now })
        let (quitting, _) = Self.loop(clock: clock, source: source, keys: [.char("q")]) { _ in clock.now > 60 }
        quitting.run()
        #expect(clock.now < 1, "q must end the loop at once, not at the stop condition")
        let other = ManualClock()
        let (hungUp, terminal) = Self.loop(clock: other, source: ScriptedEventSource(clock: { other.now })) { _ in other.now > 60 }
        terminal.hasHungUp = true
        hungUp.run()
        #expect(other.now < 1)
    }
}
