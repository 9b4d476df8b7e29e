import Monitor
import RedisLink

/// What the workers answered to one throttling command (`rate_limit`, `cancel_consumer`, `add_consumer`).
///
/// Why: a pidbox request has no delivery report. Each worker that ran the handler answers once,
/// `{"ok": text}` or `{"error": repr}` (SPEC §8.2); a destination that matches no worker gets no reply
/// at all. So the outcome keeps both kinds of answer and, when the workers were named, the ones that
/// stayed silent. Bound: one entry per worker that answered or was named.
public struct ControlOutcome: Sendable, Equatable {
    public var method: String
    /// node → the `ok` text.
    public var ok: [String: String]
    /// node → the `error` text (or the whole reply when it has neither key).
    public var errors: [String: String]
    /// Named destinations that did not answer within the timeout.
    public var missing: [String]

    public init(method: String, ok: [String: String] = [:], errors: [String: String] = [:], missing: [String] = []) {
        self.method = method
        self.ok = ok
        self.errors = errors
        self.missing = missing
    }

    /// Sorts the replies `{node: {"ok"|"error": text}}` of `method`; `destination` names who should answer.
    public init(method: String, replies: [String: JSONValue], destination: [String]?) {
        self.init(method: method)
        for (node, reply) in replies {
            if let text = reply["ok"]?.stringValue {
                ok[node] = text
            } else if let error = reply["error"] {
                errors[node] = error.stringValue ?? error.jsonString
            } else {
                errors[node] = "unexpected reply: \(reply.jsonString)"
            }
        }
        missing = (destination ?? []).filter { replies[$0] == nil }.sorted()
    }

    /// True when at least one worker applied it and none refused or stayed silent.
    public var succeeded: Bool { !ok.isEmpty && errors.isEmpty && missing.isEmpty }

    /// One line for people: `2 ok, 1 error (w2@vm: unknown task), no reply from w3@vm`.
    public var summary: String {
        var parts = ["\(ok.count) ok"]
        if !errors.isEmpty {
            let first = errors.keys.sorted()[0]
            parts.append("\(errors.count) error\(errors.count == 1 ? "" : "s") (\(first): \(errors[first] ?? ""))")
        }
        if !missing.isEmpty { parts.append("no reply from \(missing.joined(separator: ", "))") }
        if ok.isEmpty, errors.isEmpty, missing.isEmpty { parts = ["no worker answered"] }
        return parts.joined(separator: ", ")
    }
}
