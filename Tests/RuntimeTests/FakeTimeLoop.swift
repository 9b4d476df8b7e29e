import Dashboard
import Runtime
import TestSupport

/// A 20 fps dashboard loop on fake time, for the tests of its pacing: the terminal's waits advance
/// `clock`, so a run of several seconds takes milliseconds and every frame lands where the loop put it.
enum FakeTimeLoop {
    static let start = 1_795_700_000.3

    /// Runs the loop on `terminal` and `source` for `seconds` of `clock`; returns it, finished.
    @discardableResult
    static func run(
        seconds: Double, clock: ManualClock, terminal: TestTerminal, source: any EventSource, eventFPS: Double = 5
    ) -> DashboardLoop {
        let end = clock.now + seconds
        terminal.onWait = { clock.advance(by: Double($0) / 1_000) }
        let loop = DashboardLoop(
            state: AppState(width: terminal.size.width, height: terminal.size.height, now: clock.now), terminal: terminal,
            source: source, effects: EffectRunner(actions: nil), clock: { clock.now }, frameClock: { clock.now },
            configuration: DashboardLoop.Configuration(framesPerSecond: 20, eventFramesPerSecond: eventFPS),
            shouldStop: { clock.now >= end })
        loop.run()
        return loop
    }
}
