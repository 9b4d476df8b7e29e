import Monitor

/// Reads the lines of an `inspect registered` reply into retry policies by task name.
///
/// Why: Celery 5.7 answers `registered` with `taskinfoitems` not as JSON objects but as one string per
/// task, `name [key=str(value) key=str(value) …]`, leaving out None values (checked against a live
/// worker), e.g. `demo.fetch_api_data [max_retries=5 default_retry_delay=180 retry_backoff=True
/// retry_backoff_max=60 retry_jitter=True autoretry_for=(<class 'demo_tasks.ApiConnectionError'>, …)]`.
/// Values may hold spaces, so the text is split at the known keys. Pure.
public enum RegisteredTaskInfo {
    /// The `taskinfoitems` retrytop asks for.
    public static let items = [
        "max_retries", "default_retry_delay", "retry_backoff", "retry_backoff_max", "retry_jitter", "autoretry_for", "rate_limit",
    ]

    /// Parses one line; nil when it is empty.
    public static func parse(line: String) -> (name: String, policy: RetryPolicy)? {
        let trimmed = line.trimming(" ")
        guard !trimmed.isEmpty else { return nil }
        guard let open = trimmed.firstRange(of: " ["), trimmed.hasSuffix("]") else { return (trimmed, RetryPolicy()) }
        let name = String(trimmed[..<open.lowerBound])
        let inside = String(trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)])
        let fields = split(inside)
        var policy = RetryPolicy()
        if let text = fields["max_retries"] { policy.maxRetries = Int(text) }
        if let text = fields["default_retry_delay"] { policy.defaultRetryDelay = Double(text) }
        if let text = fields["retry_backoff"] { policy.retryBackoff = number(text) ?? 0 }
        if let text = fields["retry_backoff_max"], let value = Double(text) { policy.retryBackoffMax = value }
        if let text = fields["retry_jitter"] { policy.retryJitter = (number(text) ?? 1) != 0 }
        if let text = fields["autoretry_for"] { policy.autoretryFor = classNames(text) }
        if let text = fields["rate_limit"], text != "None" { policy.rateLimit = text }
        return (name, policy)
    }

    /// Policies by task name from a whole reply `{node: [line, …]}` given as node → lines. When workers
    /// disagree, the first node in name order wins.
    public static func policies(replies: [String: [String]]) -> [String: RetryPolicy] {
        var result: [String: RetryPolicy] = [:]
        for node in replies.keys.sorted() {
            for line in replies[node] ?? [] {
                guard let (name, policy) = parse(line: line), result[name] == nil else { continue }
                result[name] = policy
            }
        }
        return result
    }

    /// `True` → 1, `False` → 0, numbers as numbers.
    static func number(_ text: String) -> Double? {
        switch text {
        case "True": 1
        case "False": 0
        default: Double(text)
        }
    }

    /// `(<class 'a.B'>, <class 'c.D'>)` or `[…]` → `["a.B", "c.D"]`.
    static func classNames(_ text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "<class '") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstRange(of: "'>") else { break }
            names.append(String(rest[..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return names
    }

    /// Splits `k1=v1 k2=v with spaces k3=v3` at the known keys.
    static func split(_ text: String) -> [String: String] {
        var starts: [(key: String, keyStart: String.Index, valueStart: String.Index)] = []
        for key in items {
            for found in text.ranges(of: key + "=")
            where found.lowerBound == text.startIndex || text[text.index(before: found.lowerBound)] == " " {
                starts.append((key, found.lowerBound, found.upperBound))
                break
            }
        }
        starts.sort { $0.keyStart < $1.keyStart }
        var fields: [String: String] = [:]
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].keyStart : text.endIndex
            fields[start.key] = String(text[start.valueStart..<end]).trimming(" ")
        }
        return fields
    }
}
