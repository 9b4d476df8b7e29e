import Actions
import ArgumentParser
import CeleryLink
import Dashboard
import Foundation
import Journal
import Monitor
import NCursesTerminal
import RedisLink
import Runtime
import TerminalUI

/// `retrytop` (the default): the live dashboard on a broker.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the live dashboard (the default when no subcommand is given)."
    )

    @OptionGroup var options: BrokerOptions
    @OptionGroup var display: DisplayOptions

    @OptionGroup var actions: ActionOptions

    @OptionGroup var backfill: BackfillOptions

    @OptionGroup var journalOptions: JournalOptions

    @Option(name: .long, help: "Bulk requeue pace, messages per second.")
    var requeueRate: Double = RequeuePace.default.rate

    @Option(name: .long, help: "Bulk requeue jitter: each interval varies by up to this fraction (0...1).")
    var requeueJitter: Double = RequeuePace.default.jitter

    func run() throws {
        let resultBackend = try backfill.backend.location(broker: options)
        backfill.backend.warnAboutArgvPassword(resultBackend)
        let pipeline = try options.makePipeline(resultBackend: resultBackend)
        let subscriber = pipeline.subscriber
        let url = subscriber.configuration.url
        let reader = backfill.makeReader(broker: url, transport: options.transportOptions, resultBackend: resultBackend, subscriber: subscriber)
        let source = LiveEventSource(pipeline: pipeline, backfill: reader)
        let configuration = ActionExecutor.Configuration(readOnly: actions.readOnly, auditTrail: actions.log, brokerDescription: url.redacted)
        let executor = ActionExecutor.connect(
            url: url, options: options.transportOptions, resultBackend: resultBackend, configuration: configuration)
        let control = WorkerControl.connect(url: url, options: options.transportOptions, configuration: configuration)
        var monitor = MonitorState(limits: options.limits)
        let link = LinkStatus(
            connection: subscriber.connectionState,
            backfill: reader?.currentStatus ?? BackfillOptions.disabledStatus(now: Date().timeIntervalSince1970))
        let pace = RequeuePace(rate: requeueRate, jitter: requeueJitter)
        let journal = try journalOptions.dashboardJournal(for: url, limits: options.limits, auditLog: actions.auditLog)
        if journal is JournalWriter { monitor.startJournalFeed() }
        defer {
            (journal as? JournalWriter)?.stop()
            (journal as? JournalFollower)?.stop()
        }
        try display.runDashboard(
            monitor: monitor, link: link, readOnly: actions.readOnly, pace: pace, source: source, actions: executor, control: control,
            clock: { Date().timeIntervalSince1970 }, exitWhenSourceFinishes: false,
            defaultBroker: options.usesDefaultBroker ? BrokerURL.defaultURL : nil, journal: journal)
    }
}

/// How the dashboard draws: frame rate, ASCII and colour.
struct DisplayOptions: ParsableArguments {
    @Option(name: .long, help: "Frames per second.")
    var fps: Double = 20

    @Flag(name: .long, help: "Draw with ASCII only (no box drawing, block glyphs or other non-ASCII text).")
    var ascii = false

    @Flag(name: .long, help: "No colours (also when $NO_COLOR is set).")
    var noColor = false

    @Flag(name: .long, help: "Leave the mouse to the terminal (its own text selection): no click, wheel or double-click in the dashboard.")
    var noMouse = false

    func runDashboard(
        monitor: MonitorState, link: LinkStatus, readOnly: Bool, pace: RequeuePace, source: any EventSource, actions: (any TaskActions)?,
        control: (any WorkerControls)? = nil, clock: @escaping () -> Double, exitWhenSourceFinishes: Bool, defaultBroker: String? = nil, journal: (any JournalPort)? = nil
    ) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw UsageError(message: "the dashboard needs a terminal; for scripts use `retrytop snapshot` or `retrytop events`")
        }
        let screen: NCursesTerminal
        do {
            screen = try NCursesTerminal(forceASCII: ascii, noColor: noColor || NCursesTerminal.environmentWantsNoColor, mouse: !noMouse)
        } catch {
            throw UsageError(message: error.description)
        }
        let terminal = CrashTestTerminal.wrapIfRequested(screen)
        defer { terminal.restore() }
        let size = terminal.size
        var state = AppState(
            monitor: monitor, link: link, width: size.width, height: size.height, now: clock(), readOnly: readOnly,
            glyphs: terminal.glyphs, theme: screen.usesColor ? .color : .monochrome, requeuePace: pace)
        state.defaultBroker = defaultBroker
        let stop = StopFlag.installForInterrupts()
        let loop = DashboardLoop(
            state: state, terminal: terminal, source: source, effects: EffectRunner(actions: actions, control: control, journal: journal), clock: clock,
            frameClock: { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
            configuration: DashboardLoop.Configuration(framesPerSecond: fps, exitWhenSourceFinishes: exitWhenSourceFinishes),
            shouldStop: { stop.isSet }, journal: journal)
        loop.run()
        try stop.exitIfInterrupted()
    }
}
