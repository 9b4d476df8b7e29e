import Actions
import Monitor
import TerminalUI

/// The named inputs a pane's view model is built from; a pane reads nothing else.
///
/// Built by `AppState.paneInputs(for:)` once per pane per frame, so each pane type can be built and
/// tested alone from values a test writes down. Holds the viewed model (copy-on-write, not copied).
public struct PaneInputs: Sendable {
    /// The model shown: the frozen copy while frozen, else the live one.
    public var monitor: MonitorState {
        didSet { namePrefix = PaneInputs.commonPrefix(Array(monitor.ratesByName.keys)) }
    }
    public var now: Double
    public var glyphs: Glyphs
    public var theme: Theme
    /// Ids the user marked (task panes draw the mark glyph).
    public var marks: Set<String>
    /// True when a filter narrows the task panes (their empty lines say so).
    public var isFiltered: Bool
    /// Rows of the pane before the filter, for "filtered N of M".
    public var unfilteredCount: Int
    /// Retry policies by task name, from `inspect registered`.
    public var policies: [String: RetryPolicy]
    /// Task names storming right now.
    public var stormNames: Set<String>
    /// The screen on the stack that owns a drill-down pane (the group, the task), if any.
    public var owner: Screen?
    /// The journal's last 24 h when the Rates pane shows them (`H`), else nil (the live 15 minutes).
    public var journalRates: JournalRates?
    /// Retrying tasks whose latest attempt a worker holds (the Workers pane's LATE), from the retrying index.
    public var heldAttempts: [TaskKey: HeldAttempt]

    public init(
        monitor: MonitorState, now: Double, glyphs: Glyphs = .unicode, theme: Theme = .color, marks: Set<String> = [],
        isFiltered: Bool = false, unfilteredCount: Int = 0, policies: [String: RetryPolicy] = [:],
        stormNames: Set<String> = [], owner: Screen? = nil, journalRates: JournalRates? = nil,
        heldAttempts: [TaskKey: HeldAttempt] = [:]
    ) {
        self.heldAttempts = heldAttempts
        self.monitor = monitor
        self.namePrefix = PaneInputs.commonPrefix(Array(monitor.ratesByName.keys))
        self.now = now
        self.glyphs = glyphs
        self.theme = theme
        self.marks = marks
        self.isFiltered = isFiltered
        self.unfilteredCount = unfilteredCount
        self.policies = policies
        self.stormNames = stormNames
        self.owner = owner
        self.journalRates = journalRates
    }

    /// The style of `role` in the theme.
    public func style(_ role: StyleRole) -> Style { theme[role] }

    /// The dotted module prefix every tracked task name shares (`tasks.`), or "".
    ///
    /// Found once per pane per frame (and when `monitor` is set): every row's name asks for it.
    public private(set) var namePrefix: String

    /// The dotted prefix every name shares (`tasks.`), dropped in the rates pane and named in its title.
    static func commonPrefix(_ names: [String]) -> String {
        guard let first = names.first, names.count > 1, let dot = first.lastIndex(of: ".") else { return "" }
        let prefix = String(first[...dot])
        return names.allSatisfy { $0.hasPrefix(prefix) && $0.count > prefix.count } ? prefix : ""
    }

    /// `name` as it fits `width`: whole when it fits, else without the shared module prefix.
    func displayName(_ name: String?, width: Int) -> String {
        PaneInputs.displayName(name, width: width, prefix: namePrefix)
    }

    static func displayName(_ name: String?, width: Int, prefix: String) -> String {
        guard let name else { return "(unknown)" }
        if name.count > width, !prefix.isEmpty, name.hasPrefix(prefix) { return String(name.dropFirst(prefix.count)) }
        return name
    }

    /// Columns for a TASK column: the longest name shown (at most 24), shortened by the shared
    /// module prefix (`tasks.`) unless `fullWidth` leaves room for full names.
    func taskNameWidth(_ ids: [String], fullWidth: Bool) -> Int {
        let names = ids.compactMap { monitor.tasks[$0]?.name }
        let longest = names.map(\.count).max() ?? 8
        if fullWidth { return min(28, max(8, longest)) }
        let prefix = namePrefix
        return min(24, max(8, names.map { $0.hasPrefix(prefix) ? $0.count - prefix.count : $0.count }.max() ?? 8))
    }

    /// The attempt number shown in ATTEMPT columns: `3`, or `3/5` once the policy is known and the
    /// task has retried or retries automatically (`autoretry_for`).
    ///
    /// Every task has Celery's `max_retries=3`, and a task without `autoretry_for` retries only if
    /// its code calls `self.retry()`: `1/4` on a task that never retried would promise retries that
    /// may never come.
    func attemptText(_ task: TaskRecord) -> String {
        let number = task.attempts.last?.number ?? max(1, task.retries + 1)
        if let name = task.name, let policy = policies[name], let max = policy.maxAttempts, number > 1 || !policy.autoretryFor.isEmpty {
            return "\(number)/\(max)"
        }
        return String(number)
    }

    /// How late a due attempt is at `now`: "late 6s", or "due" within its first second.
    func lateText(dueAt: Double) -> String {
        let late = now - dueAt
        return late < 1 ? "due" : "late \(TimeText.age(late))"
    }

    /// The explanation of `(unknown name)` rows, for the legend.
    static let unknownNameMeaning = "(unknown name): a task whose task-received retrytop never saw (it started later, or the event was lost); events carry the name only in task-sent and task-received"

    /// True when the task is on its last allowed attempt (needs a known policy).
    func isLastAttempt(_ task: TaskRecord) -> Bool {
        guard let name = task.name, let policy = policies[name] else { return false }
        return policy.isLastAttempt(retries: (task.attempts.last?.number ?? 1) - 1)
    }

    /// The role of a task state everywhere it is shown.
    static func role(of state: TaskState) -> StyleRole {
        switch state {
        case .success: .success
        case .failure, .rejected: .failureStrong
        case .retry: .warning
        case .started: .info
        case .revoked: .revoked
        case .received, .pending: .plain
        }
    }

    /// The style of a task state in the theme.
    func style(of state: TaskState) -> Style { theme[PaneInputs.role(of: state)] }
}
