import ArgumentParser
import AuditFile

/// The options every command that can act on tasks shares: the audit log and read-only mode.
struct ActionOptions: ParsableArguments {
    @Option(name: .long, help: "Audit log of every action (default: ~/.local/state/retrytop/audit.log, or under $XDG_STATE_HOME).")
    var auditLog: String?

    @Flag(name: .long, help: "Refuse every action (revoke, terminate, requeue): nothing is sent; help shows them disabled.")
    var readOnly = false

    /// The audit log at the chosen path.
    var log: AuditLog { AuditLog(path: auditLog ?? AuditLog.defaultPath()) }
}
