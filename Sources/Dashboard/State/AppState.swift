import Actions
import Monitor
import TerminalUI

/// Everything the dashboard shows and remembers, as one value; changed only by `update`.
///
/// Owns the live `MonitorState` (the fold of every event) and, while frozen (`Z`), a frozen copy that
/// the screens show instead; events keep folding into the live model and the header counts them.
/// Selections are kept by row id per pane, so they follow a task as rows reorder. `now` is the last
/// tick's time: nothing here reads a clock.
///
/// At most one requeue is pending its preview or running at a time (`pendingRequeue`, `requeue`).
/// Bounds: `marks` holds at most `AppState.maxMarks` ids; the view stack holds at most
/// `AppState.maxStackDepth` screens (go-to-id and `e` push from anywhere: the oldest above the overview
/// give way); other collections are per pane or per name.
public struct AppState: Sendable {
    /// Marks kept at most; marking more says so in the status line.
    public static let maxMarks = 10_000
    /// Screens kept on the view stack at most, the overview at the bottom included.
    public static let maxStackDepth = 16
    /// The smallest terminal the screens are laid out for.
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// Seconds a status message stays up.
    public static let statusSeconds = 6.0
    /// Seconds the summary of a finished requeue stays under the header.
    public static let requeueSummarySeconds = 20.0
    /// Changes to the workers kept (and listed) at most; more are refused until some are undone.
    public static let maxWorkerChanges = 16
    /// Rows of the changes list under the header at most (older ones are counted on its last row).
    public static let maxChangeRows = 3
    /// How often the dashboard asks the workers for their retry policies on its own.
    public static let policyRefreshSeconds = 120.0

    /// The live model: every event folds here (through `update`), frozen or not.
    public internal(set) var monitor: MonitorState
    /// The link (connection, gaps, decode and inbox counters, backfill progress): always live, never frozen.
    public internal(set) var link: LinkStatus
    /// When the retry policies are asked for next, on a tick (`policyRefreshSeconds` apart; `p` asks at once).
    public internal(set) var policiesDueAt: Double = 0
    /// Next-attempt times of retrying tasks and start times of running ones, live and frozen.
    public internal(set) var retryingIndex: TaskTimeIndex
    public internal(set) var activeIndex: TaskTimeIndex
    public internal(set) var frozenIndexes: (retrying: TaskTimeIndex, active: TaskTimeIndex)?
    /// The copy shown while frozen, and the live event count when it was taken.
    public internal(set) var frozen: MonitorState?
    public internal(set) var frozenAtEvents = 0

    public internal(set) var stack: [Screen] = [.overview]
    public internal(set) var focusedPane: PaneID = .retrying
    /// The Rates pane lists only the names in a storm now (`!`: the banner's "+N more" as a list).
    public internal(set) var stormsOnly = false
    /// The Rates pane's sparklines show the last 24 h from the journal (`H`) instead of the live 15 minutes.
    public internal(set) var ratesFromJournal = false
    /// The journal's per-minute counts of the last 24 h, as its thread last read them (nil: none yet).
    public internal(set) var journalRates: JournalRates?
    public internal(set) var cursors: [PaneID: PaneCursor] = [:]
    public internal(set) var sorts: [PaneID: SortOrder] = [:]
    public internal(set) var filterText = ""
    public internal(set) var filter = TaskFilter()
    public internal(set) var marks: Set<String> = []
    public internal(set) var mode: InputMode = .normal
    public internal(set) var status: StatusMessage?
    /// Retry policies by task name, once workers answered `inspect registered`.
    public internal(set) var policies: [String: RetryPolicy] = [:]
    /// A requeue waiting for its dry-run preview (`R`/`A` pressed, dialog not yet open).
    public internal(set) var pendingRequeue: PendingRequeue?
    /// The requeue started from here: running, or finished and still summarised under the header.
    public internal(set) var requeue: RequeueActivity?
    /// The last answer of the worker view's inspection (one worker at a time), and the worker asked now.
    public internal(set) var workerInspection: WorkerInspection?
    public internal(set) var inspectingWorker: String?
    /// Where the replay stands; nil on a live broker.
    public internal(set) var replay: ReplayPosition?
    /// The last press on a row (double-click detection).
    public internal(set) var lastClick: MouseClick?
    /// Changes retrytop made to the workers and has not undone, oldest first; at most `maxWorkerChanges`.
    public internal(set) var workerChanges: [WorkerChangeEntry] = []
    /// The id the next change gets.
    public internal(set) var nextChangeID = 1
    /// The outcome of the last action, until dismissed.
    public internal(set) var report: ActionReport?

    /// The default broker URL when neither `--broker` nor `CELERY_BROKER_URL` named one (said until the
    /// first event); nil when the user chose the broker.
    public var defaultBroker: String?
    public let readOnly: Bool
    public let keymap: Keymap
    public var requeuePace: RequeuePace
    public var glyphs: Glyphs
    /// How style roles look: `.color`, or `.monochrome` under `NO_COLOR` / `--no-color`.
    public var theme: Theme
    public internal(set) var width: Int
    public internal(set) var height: Int
    /// The last tick's time (epoch seconds).
    public internal(set) var now: Double

    public init(
        monitor: MonitorState = MonitorState(), link: LinkStatus = LinkStatus(), width: Int = 120, height: Int = 36, now: Double = 0,
        readOnly: Bool = false, glyphs: Glyphs = .unicode, theme: Theme = .color, requeuePace: RequeuePace = .default
    ) {
        self.monitor = monitor
        self.link = link
        self.retryingIndex = TaskTimeIndex(.retrying, monitor)
        self.activeIndex = TaskTimeIndex(.active, monitor)
        self.width = width
        self.height = height
        self.now = now
        self.readOnly = readOnly
        self.keymap = Keymap(readOnly: readOnly)
        self.glyphs = glyphs
        self.theme = theme
        self.requeuePace = requeuePace
    }

    /// The model the screens show: the frozen copy while frozen, else the live one.
    public var viewed: MonitorState { frozen ?? monitor }

    public var isFrozen: Bool { frozen != nil }

    /// The retrying index of the viewed model.
    public var viewedRetryingIndex: TaskTimeIndex { frozenIndexes?.retrying ?? retryingIndex }

    /// The active index of the viewed model.
    public var viewedActiveIndex: TaskTimeIndex { frozenIndexes?.active ?? activeIndex }

    /// Events folded into the live model since the view was frozen.
    public var eventsSinceFreeze: Int { isFrozen ? monitor.stats.events - frozenAtEvents : 0 }

    /// The screen on top of the view stack.
    public var screen: Screen { stack.last ?? .overview }

    public var isTooSmall: Bool { width < AppState.minimumWidth || height < AppState.minimumHeight }

    public func cursor(_ pane: PaneID) -> PaneCursor { cursors[pane] ?? PaneCursor() }

    public func sort(_ pane: PaneID) -> SortOrder { sorts[pane] ?? pane.defaultSort }

    /// The list that keys move in on the current screen, if any.
    public var activeList: PaneID? {
        switch screen {
        case .overview: focusedPane
        case .exceptions: .exceptions
        case .groupTasks: .groupTasks
        case .taskDetail: .attempts
        case .traceback, .worker: nil
        }
    }

    /// The status message if it has not expired at `now`.
    public var visibleStatus: StatusMessage? {
        guard let status, status.expiresAt > now else { return nil }
        return status
    }

    /// The key scopes live right now.
    public var activeScopes: [KeyScope] { KeyScope.active(screen: screen, mode: mode) }
}
