/// Where a binding applies. A screen activates several scopes (see `KeyScope.active(for:)`); a key
/// may be bound once across all scopes active together.
public enum KeyScope: String, Sendable, Hashable, CaseIterable {
    /// Every screen, outside dialogs, input lines and help.
    case global
    /// Any list: the overview panes, the exceptions view, a group's tasks, a task's attempts.
    case list
    /// The overview only (moving between panes).
    case overview
    /// The task detail screen.
    case detail
    /// The traceback viewer.
    case traceback
    /// The help screen.
    case help
    /// A confirmation dialog.
    case dialog
    /// The filter, go-to-id, rate and queue input lines (printable keys are typed).
    case input

    /// The scopes whose bindings are live together, for a screen or a modal mode.
    public static func active(screen: Screen, mode: InputMode) -> [KeyScope] {
        switch mode {
        case .confirm: return [.dialog]
        case .filter, .goToID, .workerInput: return [.input]
        case .help: return [.help]
        case .normal: break
        }
        switch screen {
        case .overview: return [.global, .list, .overview]
        case .exceptions, .groupTasks: return [.global, .list]
        case .taskDetail: return [.global, .list, .detail]
        case .traceback: return [.global, .traceback]
        }
    }

    /// Every combination of scopes some screen or mode activates (for the key table's invariants).
    public static let combinations: [[KeyScope]] = [
        [.global, .list, .overview], [.global, .list], [.global, .list, .detail], [.global, .traceback],
        [.help], [.dialog], [.input],
    ]

    /// The heading of this scope in the help screen and the README.
    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .list: "Lists"
        case .overview: "Overview"
        case .detail: "Task detail"
        case .traceback: "Traceback"
        case .help: "Help"
        case .dialog: "Confirmation"
        case .input: "Input lines (filter, go to id, rate, queue)"
        }
    }
}
