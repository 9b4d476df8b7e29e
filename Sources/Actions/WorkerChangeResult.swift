import Monitor

/// What the workers answered to a `WorkerChangeRequest`, with the values read before and after.
///
/// Why: a pidbox command has no delivery report; each worker that ran it answers `{"ok": …}` or
/// `{"error": …}`, and a worker that is not there says nothing (docs/celery-wire.md, "Remote control").
/// So the result keeps both kinds of answer, and inspect's read-back shows what the workers now run.
/// Bound: one entry per worker that answered or was expected.
public struct WorkerChangeResult: Sendable, Equatable {
    public var request: WorkerChangeRequest
    /// node → the `ok` text.
    public var ok: [String: String]
    /// node → the `error` text.
    public var errors: [String: String]
    /// node → the value before the change (a rate limit, "" for none; `consuming` / `not consuming`).
    /// Read only for `.apply`; empty otherwise.
    public var previous: [String: String]
    /// node → the value inspect reports after the change, in the same terms as `previous`.
    public var readBack: [String: String]

    public init(
        request: WorkerChangeRequest, ok: [String: String] = [:], errors: [String: String] = [:],
        previous: [String: String] = [:], readBack: [String: String] = [:]
    ) {
        self.request = request
        self.ok = ok
        self.errors = errors
        self.previous = previous
        self.readBack = readBack
    }

    /// Workers named or expected that did not answer.
    public var missing: [String] {
        let wanted = Set(request.destination ?? request.expected)
        return wanted.filter { ok[$0] == nil && errors[$0] == nil }.sorted()
    }

    /// `2 ok, 1 error (w2@vm: unknown task), no reply from w3@vm`.
    public var summary: String {
        var parts: [String] = []
        if !ok.isEmpty { parts.append("\(ok.count) ok") }
        if !errors.isEmpty {
            let first = errors.keys.sorted()[0]
            parts.append("\(errors.count) error\(errors.count == 1 ? "" : "s") (\(first): \(errors[first] ?? ""))")
        }
        let silent = missing
        if !silent.isEmpty { parts.append("no reply from \(silent.joined(separator: ", "))") }
        return parts.isEmpty ? "no worker answered" : parts.joined(separator: ", ")
    }

    /// `w1@vm 10/m, w2@vm 10/m` (at most `limit` workers, then `+N more`).
    public func readBackText(limit: Int = 3) -> String {
        let nodes = readBack.keys.sorted()
        var parts = nodes.prefix(limit).map { node -> String in
            let value = readBack[node] ?? ""
            if case .rateLimit = request.change { return "\(node) \(WorkerChange.rateText(value))" }
            return "\(node) \(value)"
        }
        if nodes.count > limit { parts.append("+\(nodes.count - limit) more") }
        return parts.isEmpty ? "nothing read back" : parts.joined(separator: ", ")
    }
}
