import Dashboard
import Foundation
import Monitor
import TerminalUI

/// The dashboard's run loop: the one owner of `AppState`.
///
/// Each turn it reads keys (waiting at most until the next frame is due), feeds them to `update`,
/// runs the effects that come out through the `EffectRunner`, and once per frame folds whatever the
/// event source delivered, ticks the clock, collects effect results and draws. Drawing is diffed by
/// the terminal, so the frame rate is independent of the event rate and work follows frames, not events.
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

    /// How often the loop asks the workers for their retry policies on its own.
    public static let policyRefreshSeconds = 120.0

    public private(set) var state: AppState
    private let terminal: any Terminal
    private let source: any EventSource
    private let effects: EffectRunner
    private let clock: () -> Double
    private let configuration: Configuration
    private let shouldStop: () -> Bool

    /// - Parameters:
    ///   - clock: the time the dashboard shows (epoch seconds): the system clock live, the recording's in a replay.
    ///   - shouldStop: polled every turn (set by SIGINT/SIGTERM handlers).
    public init(
        state: AppState, terminal: any Terminal, source: any EventSource, effects: EffectRunner,
        clock: @escaping () -> Double, configuration: Configuration = Configuration(), shouldStop: @escaping () -> Bool = { false }
    ) {
        self.state = state
        self.terminal = terminal
        self.source = source
        self.effects = effects
        self.clock = clock
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
        var nextFrame = 0.0
        var sourceFinished = false
        var nextPolicyRefresh = 0.0
        while !shouldStop() {
            let wall = Date().timeIntervalSince1970
            if wall >= nextPolicyRefresh {
                // Retry policies ("attempt 3/5", last-attempt marks) without a key press; `p` refreshes at once.
                effects.perform(.inspectPolicies, quietly: true)
                nextPolicyRefresh = wall + DashboardLoop.policyRefreshSeconds
            }
            if wall >= nextFrame {
                sourceFinished = frame() || sourceFinished
                nextFrame = wall + frameInterval
                if sourceFinished, configuration.exitWhenSourceFinishes { return }
            }
            let waitMs = max(1, Int(saturating: (nextFrame - Date().timeIntervalSince1970) * 1_000))
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
        if input.decodeStats.messages > 0 || input.dropped > 0 || input.oversized > 0 {
            _ = send(.inboxCounters(decodeStats: input.decodeStats, dropped: input.dropped, oversized: input.oversized))
        }
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
