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

    /// Titles of the columns a user can sort by with `s`, in cycling order.
    public var sortColumns: [String] {
        switch self {
        case .retrying: ["NEXT IN", "TASK", "TRY", "LAST ERROR", "WORKER"]
        case .active: ["RUNNING", "TASK", "WORKER", "TRY"]
        case .failed: ["FAILED AT", "TASK", "TRIES", "ERROR"]
        case .rates: ["RETRY", "TASK", "RECV", "OK", "FAIL", "FAIL%"]
        case .workers: ["WORKER", "ACTIVE", "DONE", "HB"]
        case .exceptions: ["COUNT", "/MIN", "LAST", "EXCEPTION"]
        case .groupTasks: ["UPDATED", "TASK", "STATE", "TRIES"]
        case .attempts: ["#"]
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
