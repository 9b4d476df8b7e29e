/// Every list the user can move a selection in, each with its own cursor and sort order.
///
/// The five overview panes are cycled with Tab; the others belong to drill-down screens.
public enum PaneID: String, Sendable, Hashable, CaseIterable {
    case retrying, active, rates, workers, failed
    case exceptions, groupTasks, attempts

    /// The overview panes in Tab order.
    public static let overview: [PaneID] = [.retrying, .active, .rates, .workers, .failed]

    /// True when the rows are tasks (filter, marks and task actions apply).
    public var listsTasks: Bool {
        switch self {
        case .retrying, .active, .failed, .groupTasks: true
        default: false
        }
    }

    /// The columns a user can sort by with `s`, in cycling order: the same specs the pane's header
    /// is built from, so the sort arrow always finds its column.
    public var sortColumns: [ColumnSpec] {
        switch self {
        case .retrying: RetryingPane.sortColumns
        case .active: ActivePane.sortColumns
        case .failed: FailedPane.sortColumns
        case .rates: RatesPane.sortColumns
        case .workers: WorkersPane.sortColumns
        case .exceptions: ExceptionsPane.sortColumns
        case .groupTasks: GroupTasksPane.sortColumns
        case .attempts: AttemptsPane.sortColumns
        }
    }

    /// Every column the pane can show, for the `?` legend.
    public var allColumns: [ColumnSpec] {
        switch self {
        case .retrying: RetryingPane.allColumns
        case .active: ActivePane.allColumns
        case .failed: FailedPane.allColumns
        case .rates: RatesPane.allColumns
        case .workers: WorkersPane.allColumns
        case .exceptions: ExceptionsPane.allColumns
        case .groupTasks: GroupTasksPane.allColumns
        case .attempts: AttemptsPane.allColumns
        }
    }

    /// The order a pane starts in: the storm first (soonest retry, longest running, newest failure).
    public var defaultSort: SortOrder {
        switch self {
        case .retrying: SortOrder(column: 0, descending: false)
        case .active, .failed, .rates, .exceptions, .groupTasks: SortOrder(column: 0, descending: true)
        case .workers, .attempts: SortOrder(column: 0, descending: false)
        }
    }

    /// The title shown on the pane's box.
    public var title: String {
        switch self {
        case .retrying: "Retrying"
        case .active: "Active"
        case .rates: "Rates /min"
        case .workers: "Workers"
        case .failed: "Failed for good"
        case .exceptions: "Exceptions"
        case .groupTasks: "Tasks"
        case .attempts: "Attempts"
        }
    }
}
