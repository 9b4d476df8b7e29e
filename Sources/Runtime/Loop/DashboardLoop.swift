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
/// A frame in which nothing arrived (no event, counter, connection change, backfill or command result)
/// is drawn only when the clock enters a new second, the granularity of every countdown and "ago" time
/// on screen: an idle dashboard builds one screen a second, not one per frame. Keys draw at once.
///
/// Redraws caused by events (and their counters) are capped at `eventFramesPerSecond`: a screen costs
/// the same to build whether one event or a hundred arrived since the last one (view models, grid and
/// diff at the terminal's size), and at an everyday rate every frame has new events, so at 20 fps the
/// redraws alone cost more per event than reading, decoding and folding it. Skipping panes whose inputs
/// did not change would save nothing there: at 2,000 events/s every pane's inputs (retrying, running,
/// failed, rates, per-worker counts, exception groups) change in every frame. The cap keeps folding at
/// the frame rate (one frame of events folded at once) and draws the first change after a quiet spell
/// at once; a change that arrives within `1 / eventFramesPerSecond` of the last event-driven draw waits
/// for the end of that interval, so an event is on screen at most one event frame after it is folded.
/// While events flow, the clock's new second is drawn by the next event frame rather than as a draw of
/// its own, and any draw that shows new events restarts the interval, so the screen is built at most
/// `eventFramesPerSecond` times a second, plus keys and the other changes above.
/// Keys, connection changes, command results, backfill, the journal and replay positions draw at once
/// (in the frame that sees them).
///
/// A trickle is folded once per event frame: while the source holds back fewer than `holdBackBelow`
/// events (`EventSource.poll(holdingBackFewerThan:)`), they wait for the next event frame, where they are
/// decoded and folded in one batch, and the loop sleeps from one event frame to the next (keys still
/// wake it at once; other changes are seen within that event frame) until an event frame finds the
/// source quiet or a backlog. A larger backlog, or a flow the source says is not a trickle, is folded
/// every frame as before. The clock's new second is drawn by the next event frame then, too. With the pipeline's owner decoding a trickle itself
/// (`IngestPipeline`), this took the dashboard at 2,000 events/s from 15.2–16.7 to 11.2–13.0 µs/event
/// (`retrytop bench --only lowrate`, interleaved with the build before, BENCHMARKS round 8).
public final class DashboardLoop {
    public struct Configuration: Sendable {
        /// Frames per second (10 to 30 is plenty for a terminal): keys, polls of the source, the clock.
        public var framesPerSecond: Double
        /// Redraws per second caused by arriving events at most (the frame rate bounds it too).
        public var eventFramesPerSecond: Double
        /// Leave once a finite source has delivered everything (for replays driven by scripts).
        public var exitWhenSourceFinishes: Bool

        public init(framesPerSecond: Double = 20, eventFramesPerSecond: Double = 5, exitWhenSourceFinishes: Bool = false) {
            self.framesPerSecond = framesPerSecond
            self.eventFramesPerSecond = eventFramesPerSecond
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
    /// The whole second of `state.now` when the screen was last drawn.
    private var drawnSecond = -Double.infinity
    /// `frameClock` at the last draw caused by events (the cap's reference).
    private var eventDrawnAt = -Double.infinity
    /// Events were folded that are not on screen yet (held back by the event-frame cap).
    private var eventsUndrawn = false
    /// Events trickle in: a poll between event frames held some back, and no event frame since found
    /// the source quiet or a backlog. The loop then sleeps from event frame to event frame.
    private var trickling = false
    /// The source's cumulative drop counters last handed to `update` (they only grow).
    private var shownDrops = (dropped: 0, oversized: 0)
    /// History and status from the journal, taken once a frame (nil: no journal).
    private let journal: (any JournalPort)?

    /// - Parameters:
    ///   - clock: the time the dashboard shows (epoch seconds): the system clock live, the recording's in a replay.
    ///   - frameClock: seconds on a steady clock, for frame pacing only (any origin).
    ///   - shouldStop: polled every turn (set by SIGINT/SIGTERM handlers).
    public init(
        state: AppState, terminal: any Terminal, source: any EventSource, effects: EffectRunner,
        clock: @escaping () -> Double, frameClock: @escaping () -> Double, configuration: Configuration = Configuration(),
        shouldStop: @escaping () -> Bool = { false }, journal: (any JournalPort)? = nil
    ) {
        self.journal = journal
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
                // While events trickle in, nothing is due before the next event frame: the loop sleeps
                // from one to the next (keys still wake it at once). At 2,000 events/s its main thread
                // went from 39 to 10 voluntary context switches a second, and to 5 once it no longer
                // woke after each event frame only to find the trickle held back.
                nextFrame = trickling ? max(started + frameInterval, eventDrawnAt + eventFrameInterval) : started + frameInterval
                if sourceFinished, configuration.exitWhenSourceFinishes { return }
            }
            // Rounded up: a wake a fraction of a millisecond early would find the frame not yet due.
            let waitMs = max(1, Int(saturating: ((nextFrame - frameClock()) * 1_000).rounded(.up)))
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

    /// Folds the source's events, ticks, collects results and draws if anything changed or a new
    /// second began; returns whether the source is done.
    private func frame() -> Bool {
        // Between event frames a trickle of events stays with the source, to be decoded and folded at
        // once when the next event frame is due (a frame's events cost less in one batch than in four);
        // a backlog as large as `holdBackBelow` is folded every frame, as in a storm.
        var input: SourceUpdate
        if frameClock() - eventDrawnAt >= eventFrameInterval {
            input = source.poll()
            // An event frame that finds nothing, or a backlog, ends the trickle.
            if input.events.isEmpty || input.events.count >= Self.holdBackBelow { trickling = false }
        } else {
            input = source.poll(holdingBackFewerThan: Self.holdBackBelow)
            trickling = input.eventsHeldBack
        }
        var changed = false
        if input.restarted {
            changed = true
            _ = send(.replayRestarted)
        }
        if let replay = input.replay {
            changed = true
            _ = send(.replay(replay))
        }
        let counters = input.counters
        // Drop counters are cumulative; a source with nothing to say hands over empty counters.
        if !counters.isEmpty,
           counters.decode.messages > 0 || counters.inboxDropped != shownDrops.dropped || counters.inboxOversized != shownDrops.oversized {
            eventsUndrawn = true
            shownDrops = (counters.inboxDropped, counters.inboxOversized)
            _ = send(.linkCounters(counters))
        }
        if !input.events.isEmpty {
            eventsUndrawn = true
            _ = send(.events(input.events))
            source.recycle(&input.events)
        }
        if let connection = input.connection {
            changed = true
            _ = send(.connection(connection))
        }
        if !input.backfill.tasks.isEmpty || input.backfill.status != nil {
            changed = true
            _ = send(.backfill(tasks: input.backfill.tasks, status: input.backfill.status))
        }
        if let queues = input.backfill.queues {
            changed = true
            _ = send(.queues(queues))
        }
        if let journal {
            let delivery = journal.take()
            if !delivery.tasks.isEmpty || delivery.status != nil || delivery.rates != nil {
                changed = true
                _ = send(.journal(delivery))
            }
        }
        for result in effects.collect() {
            changed = true
            _ = send(.commandFinished(result))
        }
        _ = send(.tick(now: clock()))
        let at = frameClock()
        let eventFrameDue = eventsUndrawn && at - eventDrawnAt >= eventFrameInterval
        // While events flow (folded and not drawn yet, or held back by the source) the clock's new
        // second waits for the next event frame (at most one event frame late) instead of adding a
        // draw; with no events it is drawn at once.
        let eventsWaiting = eventsUndrawn || trickling
        let newSecondDue = state.now.rounded(.down) != drawnSecond && !(eventsWaiting && !eventFrameDue)
        if changed || eventFrameDue || newSecondDue {
            // Any draw that shows new events restarts the cap's interval.
            if eventsUndrawn { eventDrawnAt = at }
            draw()
        }
        return input.finished
    }

    /// Events waiting that are folded at once even between event frames: about 10,000 events/s and up.
    public static let holdBackBelow = 2_000

    /// Seconds between two draws caused by events at least (a little under `1 / eventFramesPerSecond`,
    /// so that frames paced at exactly that interval are not skipped by a rounding error).
    private var eventFrameInterval: Double {
        0.999 / max(configuration.eventFramesPerSecond, 0.1)
    }

    /// The last screen drawn, and the one before (the terminal has let it go): the next screen is
    /// drawn into the older one's storage.
    private var drawnGrids: (last: Grid?, spare: Grid?) = (nil, nil)

    private func draw() {
        let grid = Dashboard.renderFrame(state: state, reusing: &drawnGrids.spare)
        terminal.draw(grid)
        drawnGrids = (grid, drawnGrids.last)
        drawnSecond = state.now.rounded(.down)
        eventsUndrawn = false
    }

    /// Applies a message; performs its effects; returns true on quit.
    private func send(_ message: Message) -> Bool {
        let produced = update(&state, message)
        var quit = false
        for effect in produced {
            switch effect {
            case .quit: quit = true
            case .replay(let command): source.control(command)
            default: effects.perform(effect)
            }
        }
        return quit
    }
}
