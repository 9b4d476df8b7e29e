/// What the keyboard is doing besides navigating: typing a filter or an id, confirming, reading help.
public enum InputMode: Sendable, Equatable {
    case normal
    /// Typing a filter; the panes narrow live. `previous` is restored by Esc.
    case filter(draft: String, previous: String)
    /// Typing a task id or prefix after `:`.
    case goToID(draft: String)
    /// Typing the rate or queue of a throttling command (`L`, `Q`); Enter opens its confirmation.
    case workerInput(WorkerInput)
    /// A dangerous command waits for `y`.
    case confirm(Confirmation)
    /// The help screen, scrolled by `offset` lines.
    case help(offset: Int)

    /// The open dialog, if any.
    public var confirmation: Confirmation? {
        if case .confirm(let confirmation) = self { return confirmation }
        return nil
    }
}
