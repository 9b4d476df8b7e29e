import Synchronization

/// Shortens Python exception reprs for narrow columns: `HTTPError('429 Client Error…')` becomes
/// `HTTPError: 429 Client Error…`, and Celery's `Retry in 4s: X(...)` wrapper is unwrapped.
///
/// Both forms are remembered per text (`TextMemo`): every row with an error asks again every frame,
/// and a storm has a handful of distinct texts (about 200 asks a frame for 10 texts at 2,000 events/s).
public enum ExceptionText {
    public static func short(_ exception: String?) -> String {
        guard let exception, !exception.isEmpty else { return "" }
        return shortMemo.value(for: exception, making: makeShort)
    }

    private static let shortMemo = TextMemo()
    private static let briefMemo = TextMemo()

    private static func makeShort(_ exception: String) -> String {
        var text = exception
        if text.hasPrefix("Retry in "), let colon = text.firstIndex(of: ":") {
            text = String(text[text.index(after: colon)...]).trimmingCharacters()
        }
        guard let open = text.firstIndex(of: "("), text.last == ")" else { return text }
        let type = text[..<open]
        var inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        if inner.hasSuffix(",") { inner = inner.dropLast() }
        // Bytes, not characters: counting characters walks the whole text (every row, every frame).
        if inner.utf8.count >= 2, let first = inner.first, first == "'" || first == "\"", inner.last == first {
            inner = inner.dropFirst().dropLast()
        }
        return inner.isEmpty ? String(type) : "\(type): \(inner)"
    }
}

extension ExceptionText {
    /// `short`, further trimmed for narrow columns: no URL, no `Client Error:` boilerplate.
    /// `HTTPError('429 Client Error: Too Many Requests for url: http://…')` → `HTTPError: 429 Too Many Requests`.
    public static func brief(_ exception: String?) -> String {
        guard let exception, !exception.isEmpty else { return "" }
        return briefMemo.value(for: exception, making: makeBrief)
    }

    private static func makeBrief(_ exception: String) -> String {
        var text = short(exception)
        if let range = text.asciiRange(of: " for url: ") { text = String(text[..<range.lowerBound]) }
        for boilerplate in ["Client Error: ", "Server Error: "] {
            if let range = text.asciiRange(of: boilerplate) { text.removeSubrange(range) }
        }
        return text
    }
}

extension String {
    /// The first occurrence of `needle` (ASCII), found by comparing UTF-8 bytes.
    ///
    /// Why: `firstRange(of:)` compares characters and cost a fifth of a dashboard frame (it runs for every
    /// row with an error, every frame). An ASCII needle starts and ends on scalar boundaries of the text.
    func asciiRange(of needle: String) -> Range<String.Index>? {
        let pattern = Array(needle.utf8)
        guard let head = pattern.first else { return nil }
        var copy = self
        let offset: Int? = copy.withUTF8 { bytes in
            guard bytes.count >= pattern.count else { return nil }
            var start = 0
            while start <= bytes.count - pattern.count {
                if bytes[start] == head {
                    var matched = 1
                    while matched < pattern.count, bytes[start + matched] == pattern[matched] { matched += 1 }
                    if matched == pattern.count { return start }
                }
                start += 1
            }
            return nil
        }
        guard let offset else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: offset)
        return lower..<utf8.index(lower, offsetBy: pattern.count)
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

/// A pure function's results per text, forgotten all at once past `limit` texts (hostile input cannot
/// grow it without bound). Safe from any thread.
final class TextMemo: Sendable {
    private let results = Mutex<[String: String]>([:])
    private let limit: Int

    init(limit: Int = 4_096) {
        self.limit = limit
    }

    func value(for text: String, making make: (String) -> String) -> String {
        if let known = results.withLock({ $0[text] }) { return known }
        let made = make(text)
        results.withLock { results in
            if results.count >= limit { results.removeAll(keepingCapacity: true) }
            results[text] = made
        }
        return made
    }
}
