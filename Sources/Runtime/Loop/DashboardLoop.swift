import Dashboard
import Monitor
import TerminalUI

/// The dashboard's run loop: the one owner of `AppState`.
///
/// Each turn it reads keys (waiting at most until the next frame is due), feeds them to `update`,
/// runs the effects that come out through the `EffectRunner`, and once per frame folds whatever the
/// event source delivered, ticks the clock, collects effect results and draws. Drawing is diffed by
/// the terminal, so the frame rate is independent of the event rate and work follows frames, not events.
/// It reads no clock of its own: frame pacing follows the injected `frameClock`, the dashboard's time the
/// injected `clock`, and what to do on a tick (the periodic retry-policy refresh) is `update`'s decision.
public final class DashboardLoop {
    public struct Configuration: Sendable {
        /// Frames per second (10 to 30 is plenty for a terminal).
        public var framesPerSecond: Double
        /// Leave once a finite source has delivered everything (for replays driven by scripts).
        public var exitWhenSourceFinishes: Bool

        public init(framesPerSecond: Double = 20, exitWhenSourceFinishes: Bool = false) {
            self.framesPerSecond = framesPerSecond
            self.exitWhenSourceFinishes = exitWhenSourceFinishes
        }
    }

    public private(set) var state: AppState
    private let terminal: any Terminal
    private let source: any EventSource
    private let effects: EffectRunner
    private let clock: () -> Double
    private let frameClock: () -> Double
    private let configuration: Configuration
    private let shouldStop: () -> Bool

    /// - Parameters:
    ///   - clock: the time the dashboard shows (epoch seconds): the system clock live, the recording's in a replay.
    ///   - frameClock: seconds on a steady clock, for frame pacing only (any origin).
    ///   - shouldStop: polled every turn (set by SIGINT/SIGTERM handlers).
    public init(
        state: AppState, terminal: any Terminal, source: any EventSource, effects: EffectRunner,
        clock: @escaping () -> Double, frameClock: @escaping () -> Double, configuration: Configuration = Configuration(),
        shouldStop: @escaping () -> Bool = { false }
    ) {
        self.state = state
        self.terminal = terminal
        self.source = source
        self.effects = effects
        self.clock = clock
        self.frameClock = frameClock
        self.configuration = configuration
        self.shouldStop = shouldStop
    }

    /// Runs until the user quits (or a stop is requested); the caller restores the terminal.
    public func run() {
        source.start()
        defer {
            effects.shutdown()
            source.stop()
        }
        let size = terminal.size
        _ = send(.resized(width: size.width, height: size.height))
        let frameInterval = 1 / max(1, configuration.framesPerSecond)
        var nextFrame = -Double.infinity
        var sourceFinished = false
        while !shouldStop() {
            let started = frameClock()
            if started >= nextFrame {
                sourceFinished = frame() || sourceFinished
                nextFrame = started + frameInterval
                if sourceFinished, configuration.exitWhenSourceFinishes { return }
            }
            let waitMs = max(1, Int(saturating: (nextFrame - frameClock()) * 1_000))
            guard let key = terminal.readKey(timeoutMs: waitMs) else {
                // No key: a timeout, or a terminal that is gone (then every read returns at once).
                if terminal.hasHungUp { return }
                continue
            }
            if handle(key) { return }
            // Drain keys that are already waiting (a paste, key repeat) before the next frame.
            while let more = terminal.readKey(timeoutMs: 0) {
                if handle(more) { return }
            }
            draw()
        }
    }

    /// Feeds one key; returns true when the dashboard should quit.
    private func handle(_ key: Key) -> Bool {
        if case .resize = key {
            let size = terminal.size
            return send(.resized(width: size.width, height: size.height))
        }
        return send(.key(key))
    }

    /// Folds the source's events, ticks, collects results and draws; returns whether the source is done.
    private func frame() -> Bool {
        let input = source.poll()
        if !input.counters.isEmpty { _ = send(.linkCounters(input.counters)) }
        if !input.events.isEmpty { _ = send(.events(input.events)) }
        if let connection = input.connection { _ = send(.connection(connection)) }
        if !input.backfill.tasks.isEmpty || input.backfill.status != nil {
            _ = send(.backfill(tasks: input.backfill.tasks, status: input.backfill.status))
        }
        if let queues = input.backfill.queues { _ = send(.queues(queues)) }
        for result in effects.collect() { _ = send(.commandFinished(result)) }
        _ = send(.tick(now: clock()))
        draw()
        return input.finished
    }

    private func draw() {
        terminal.draw(Dashboard.renderFrame(state: state))
    }

    /// Applies a message; performs its effects; returns true on quit.
    private func send(_ message: Message) -> Bool {
        let produced = update(&state, message)
        var quit = false
        for effect in produced {
            if effect == .quit { quit = true } else { effects.perform(effect) }
        }
        return quit
    }
}
