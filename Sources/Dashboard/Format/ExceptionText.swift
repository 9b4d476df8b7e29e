/// Shortens Python exception reprs for narrow columns: `HTTPError('429 Client Error…')` becomes
/// `HTTPError: 429 Client Error…`, and Celery's `Retry in 4s: X(...)` wrapper is unwrapped.
public enum ExceptionText {
    public static func short(_ exception: String?) -> String {
        guard var text = exception, !text.isEmpty else { return "" }
        if text.hasPrefix("Retry in "), let colon = text.firstIndex(of: ":") {
            text = String(text[text.index(after: colon)...]).trimmingCharacters()
        }
        guard let open = text.firstIndex(of: "("), text.last == ")" else { return text }
        let type = text[..<open]
        var inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        if inner.hasSuffix(",") { inner = inner.dropLast() }
        if inner.count >= 2, let first = inner.first, first == "'" || first == "\"", inner.last == first {
            inner = inner.dropFirst().dropLast()
        }
        return inner.isEmpty ? String(type) : "\(type): \(inner)"
    }
}

extension ExceptionText {
    /// `short`, further trimmed for narrow columns: no URL, no `Client Error:` boilerplate.
    /// `HTTPError('429 Client Error: Too Many Requests for url: http://…')` → `HTTPError: 429 Too Many Requests`.
    public static func brief(_ exception: String?) -> String {
        var text = short(exception)
        if let range = text.firstRange(of: " for url: ") { text = String(text[..<range.lowerBound]) }
        for boilerplate in ["Client Error: ", "Server Error: "] {
            if let range = text.firstRange(of: boilerplate) { text.removeSubrange(range) }
        }
        return text
    }
}

extension String {
    func trimmingCharacters() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
