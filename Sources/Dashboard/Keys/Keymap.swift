import TerminalUI

/// The one key table. Help, footer hints and the README key list are generated from it.
///
/// `--read-only` is applied here and nowhere else: `Keymap(readOnly: true)` drops every dangerous
/// binding from `bindings` and keeps them in `disabled`, so help can list them as unavailable and a
/// key press on one can say why nothing happened.
public struct Keymap: Sendable, Equatable {
    /// The full table, in help order.
    public static let table: [KeyBinding] = [
        KeyBinding([.char("q")], .quit, .global, "quit (restores the terminal)", hint: "quit"),
        KeyBinding([.char("?")], .help, .global, "help: a legend of the focused list's columns, then every key", hint: "help"),
        KeyBinding([.escape], .back, .global, "back to the previous screen; clears the filter on the overview"),
        KeyBinding([.char("/")], .filter, .global, "filter tasks: name: state: worker: exc: queue:, !term negates", hint: "filter"),
        KeyBinding([.char(":")], .goToID, .global, "go to a task by full id or unique prefix", hint: "go to id"),
        KeyBinding([.char("e")], .exceptions, .global, "exceptions grouped by fingerprint", hint: "exceptions"),
        KeyBinding([.char("Z")], .freeze, .global, "freeze the view (events keep folding underneath)", hint: "freeze"),
        KeyBinding([.char("p")], .refreshPolicies, .global, "ask workers for retry policies (max retries, backoff)"),
        KeyBinding([.char("P")], .togglePauseRequeue, .global, "pause or resume the running requeue (sending stops after the current message)"),
        KeyBinding([.char("U")], .undoWorkerChange, .global, "undo the newest change retrytop made to the workers (restores each worker's previous value)", dangerous: true),
        KeyBinding([.char("o")], .dismissReport, .global, "dismiss the outcome line of the last action"),
        KeyBinding([.char("C")], .abortRequeue, .global, "abort the running requeue: nothing more is sent; what was sent stays sent"),
        KeyBinding([.char("z")], .replayPause, .global, "replay: pause or resume playback"),
        KeyBinding([.char(".")], .replayStep, .global, "replay: pause and play the next event"),
        KeyBinding([.char(">")], .replaySeekForward, .global, "replay: jump 10 s ahead"),
        KeyBinding([.char("<")], .replaySeekBack, .global, "replay: jump 10 s back (the view is rebuilt from the start)"),

        KeyBinding([.char("k"), .up], .moveUp, .list, "move up"),
        KeyBinding([.char("j"), .down], .moveDown, .list, "move down"),
        KeyBinding([.char("g"), .home], .top, .list, "first row"),
        KeyBinding([.char("G"), .end], .bottom, .list, "last row"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, .list, "page up"),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, .list, "page down"),
        KeyBinding([.enter], .open, .list, "open: task detail, exception group, worker, attempt traceback", hint: "open"),
        KeyBinding([.char("s")], .sortNext, .list, "sort by the next column"),
        KeyBinding([.char("S")], .sortReverse, .list, "reverse the sort"),
        KeyBinding([.char(" ")], .mark, .list, "mark or unmark the selected task", hint: "mark"),
        KeyBinding([.char("a")], .markAllMatching, .list, "mark every task in this list that matches the filter"),
        KeyBinding([.char("u")], .clearMarks, .list, "clear all marks"),
        KeyBinding([.char("x")], .revoke, .list, "revoke the marked tasks, else the selected one", hint: "revoke", dangerous: true),
        KeyBinding([.char("X")], .terminate, .list, "revoke and terminate (SIGTERM) running tasks", dangerous: true),
        KeyBinding([.char("R")], .requeue, .list, "requeue with exact arguments (new task ids), after a dry-run preview", hint: "requeue", dangerous: true),
        KeyBinding([.char("D"), .ctrl("x")], .revokeRetryingOfName, .list, "revoke every retrying task of the selected task's name", dangerous: true),
        KeyBinding([.char("A")], .requeueFailedOfGroup, .list, "requeue every failed task of the selected name or group, previewed and paced", dangerous: true),
        KeyBinding([.char("L")], .rateLimitName, .list, "rate-limit the selected task name (else the storm's) on every worker, or on the selected worker in Workers", dangerous: true),
        KeyBinding([.char("Q")], .toggleConsumer, .list, "stop consuming a queue (default: the selected task's) on every worker or the selected one; +queue resumes", dangerous: true),

        KeyBinding([.tab], .nextPane, .overview, "next pane", hint: "pane"),
        KeyBinding([.backTab], .previousPane, .overview, "previous pane"),
        KeyBinding([.char("!")], .listStorms, .overview, "list every storm (the banner's +N more) in the Rates pane, worst first; again for every name"),
        KeyBinding([.char("H")], .toggleRatesRange, .overview, "Rates pane sparklines: the live 15 minutes, or the last 24 h from the journal"),
        KeyBinding([.char("w")], .filterWorker, .overview, "filter tasks by the selected worker (Workers pane) or the selected task's worker"),

        KeyBinding([.char("t")], .toggleTraceback, .detail, "traceback of the selected attempt", hint: "traceback"),

        KeyBinding([.char("k"), .up], .moveUp, .traceback, "scroll up"),
        KeyBinding([.char("j"), .down], .moveDown, .traceback, "scroll down"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, .traceback, "page up"),
        KeyBinding([.pageDown, .ctrl("f"), .char(" ")], .pageDown, .traceback, "page down"),
        KeyBinding([.char("g"), .home], .top, .traceback, "top"),
        KeyBinding([.char("G"), .end], .bottom, .traceback, "bottom"),
        KeyBinding([.char("t")], .toggleTraceback, .traceback, "close the traceback", hint: "close"),

        KeyBinding([.char("r")], .inspectWorker, .worker, "ask the worker again (inspect stats, active, reserved, active_queues)", hint: "inspect again"),
        KeyBinding([.char("w")], .filterWorker, .worker, "this worker's tasks: filter worker:HOST on the overview", hint: "its tasks"),
        KeyBinding([.char("L")], .rateLimitName, .worker, "rate-limit a task name (the storm's) on this worker only", hint: "throttle here", dangerous: true),
        KeyBinding([.char("Q")], .toggleConsumer, .worker, "stop consuming a queue on this worker only; +queue resumes", hint: "queue", dangerous: true),

        KeyBinding([.char("k"), .up], .moveUp, .help, "scroll up"),
        KeyBinding([.char("j"), .down], .moveDown, .help, "scroll down"),
        KeyBinding([.char("?"), .escape, .char("q")], .back, .help, "close help", hint: "close"),

        KeyBinding([.char("y")], .confirm, .dialog, "do it", hint: "confirm"),
        KeyBinding([.char("n"), .escape], .cancel, .dialog, "cancel", hint: "cancel"),
        KeyBinding([.char("f")], .forceRequeue, .dialog, "requeue: also send tasks already requeued (skipped by default)"),
        KeyBinding([.char("t")], .terminateRunning, .dialog, "revoke of a name (D): also terminate the running ones (SIGTERM)"),

        KeyBinding([.enter], .acceptInput, .input, "apply (filter), jump (go to id), or go on to the confirmation (rate, queue)", hint: "apply"),
        KeyBinding([.escape], .cancelInput, .input, "cancel; clears the filter", hint: "cancel"),
        KeyBinding([.backspace, .delete], .deleteBackward, .input, "delete the last character"),
    ]

    public let readOnly: Bool
    /// The live bindings.
    public let bindings: [KeyBinding]
    /// Bindings removed by `--read-only` (empty otherwise).
    public let disabled: [KeyBinding]

    public init(readOnly: Bool = false) {
        self.readOnly = readOnly
        self.bindings = readOnly ? Keymap.table.filter { !$0.isDangerous } : Keymap.table
        self.disabled = readOnly ? Keymap.table.filter(\.isDangerous) : []
    }

    /// The command bound to `key` in the scopes active together, or nil.
    public func command(for key: Key, in scopes: [KeyScope]) -> Command? {
        binding(for: key, in: scopes, among: bindings)?.command
    }

    /// The key that triggers `command` (the first key of its first binding), for messages that name it.
    public func keyLabel(of command: Command) -> String {
        (bindings.first { $0.command == command } ?? Keymap.table.first { $0.command == command })?.shortKeyLabel ?? ""
    }

    /// The disabled binding `key` would have triggered, to explain why nothing happened.
    public func disabledBinding(for key: Key, in scopes: [KeyScope]) -> KeyBinding? {
        binding(for: key, in: scopes, among: disabled)
    }

    private func binding(for key: Key, in scopes: [KeyScope], among list: [KeyBinding]) -> KeyBinding? {
        for scope in scopes {
            if let found = list.first(where: { $0.scope == scope && $0.keys.contains(key) }) { return found }
        }
        return nil
    }

    /// Footer hints for the active scopes, in table order (global ones last so the screen's own come first).
    public func hints(in scopes: [KeyScope]) -> [KeyHint] {
        let ordered = scopes.filter { $0 != .global } + scopes.filter { $0 == .global }
        return ordered.flatMap { scope in
            bindings.filter { $0.scope == scope && $0.hint != nil }.map { binding in
                let modal = scope == .dialog || scope == .input || scope == .help
                return KeyHint(modal ? binding.keyLabel : binding.shortKeyLabel, binding.hint ?? "")
            }
        }
    }

    /// The help screen's lines: one heading per scope, then `keys  summary` rows; disabled bindings
    /// are listed with `(--read-only)`.
    public func helpLines() -> [HelpLine] {
        var lines: [HelpLine] = []
        let keyWidth = Keymap.table.map(\.keyLabel.displayWidth).max() ?? 0
        for scope in KeyScope.allCases {
            let rows = Keymap.table.filter { $0.scope == scope }
            guard !rows.isEmpty else { continue }
            if !lines.isEmpty { lines.append(HelpLine(kind: .blank, text: "")) }
            lines.append(HelpLine(kind: .heading, text: scope.title))
            for row in rows {
                let isDisabled = readOnly && row.isDangerous
                var text = TextWidth.fit(row.keyLabel, width: keyWidth) + "  " + row.summary
                if row.isDangerous { text += isDisabled ? "  (disabled: --read-only)" : "  (asks to confirm)" }
                lines.append(HelpLine(kind: isDisabled ? .disabled : (row.isDangerous ? .dangerous : .binding), text: text))
            }
        }
        return lines
    }

    /// The README's key list as a Markdown table, generated from the same table.
    public static func markdownTable() -> String {
        var out = "| Keys | Where | Action |\n|---|---|---|\n"
        for row in table {
            let keys = row.keys.map { "`\($0.description == "|" ? "\\|" : $0.description)`" }.joined(separator: " ")
            let note = row.isDangerous ? " (asks to confirm; removed by `--read-only`)" : ""
            out += "| \(keys) | \(row.scope.title) | \(row.summary)\(note) |\n"
        }
        return out
    }
}
