import TerminalUI

/// One row of the key table: the keys, the command, where it applies, and how help describes it.
///
/// `isDangerous` commands change the deployment (revoke, terminate, requeue): they always go through the
/// confirmation dialog and `--read-only` removes them. `hint` is the short label shown in the footer;
/// nil keeps the binding out of the footer (it is still in help and the README).
public struct KeyBinding: Sendable, Hashable {
    public var keys: [Key]
    public var command: Command
    public var scope: KeyScope
    public var summary: String
    public var hint: String?
    public var isDangerous: Bool

    public init(_ keys: [Key], _ command: Command, _ scope: KeyScope, _ summary: String, hint: String? = nil, dangerous: Bool = false) {
        self.keys = keys
        self.command = command
        self.scope = scope
        self.summary = summary
        self.hint = hint
        self.isDangerous = dangerous
    }

    /// The keys as help shows them: `j/Down`.
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }

    /// The first key's name, for footers: `j`.
    public var shortKeyLabel: String { keys.first?.description ?? "" }
}
