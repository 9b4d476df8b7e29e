import Monitor

/// A revoke asked for by a key or the CLI (`docs/celery-wire.md`, "Remote control").
///
/// A plain revoke only flags the ids: a task waiting in backoff is discarded at its ETA, but a running
/// task keeps running. `terminate` also signals a running task's pool process.
public struct RevokeRequest: Sendable, Equatable {
    public var ids: [String]
    public var terminate: Bool
    /// A signal name as Celery accepts it (`SIGTERM`, `SIGKILL`, …); used only with `terminate`.
    public var signal: String

    public static let defaultSignal = "SIGTERM"
    /// Signals offered for terminate.
    public static let knownSignals = ["SIGTERM", "SIGKILL", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2"]

    /// Ids are de-duplicated in order.
    public init(ids: [String], terminate: Bool = false, signal: String = RevokeRequest.defaultSignal) {
        var seen = Set<String>()
        self.ids = ids.filter { seen.insert($0).inserted }
        self.terminate = terminate
        self.signal = signal
    }

    /// `TERM`, `sigkill`, `15` or `SIGTERM` → the canonical name; nil for anything else.
    public static func normalizedSignal(_ text: String) -> String? {
        let upper = text.uppercased()
        if let number = Int(upper) {
            let byNumber = ["SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGKILL": 9, "SIGUSR1": 10, "SIGUSR2": 12, "SIGTERM": 15]
            return byNumber.first { $0.value == number }?.key
        }
        let name = upper.hasPrefix("SIG") ? upper : "SIG" + upper
        return knownSignals.contains(name) ? name : nil
    }

    /// The audit/CLI action name.
    public var action: String { terminate ? "terminate" : "revoke" }
}
