import Synchronization

/// Shortens Python exception reprs for narrow columns: `HTTPError('429 Client Error…')` becomes
/// `HTTPError: 429 Client Error…`, and Celery's `Retry in 4s: X(...)` wrapper is unwrapped.
///
/// Every row with an error asks again every frame. An ASCII text (nearly every one) is shortened on its
/// bytes, with one string made (`ascii`); any other text on characters, and both forms of those are
/// remembered per text (`TextMemo`).
public enum ExceptionText {
    public static func short(_ exception: String?) -> String {
        guard let exception, !exception.isEmpty else { return "" }
        if let made = ascii(exception, brief: false) { return made }
        return shortMemo.value(for: exception, making: makeShort)
    }

    private static let shortMemo = TextMemo()
    private static let briefMemo = TextMemo()

    /// The general form, on characters (any text; the memo keeps its results).
    static func makeShort(_ exception: String) -> String {
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
        if let made = ascii(exception, brief: true) { return made }
        return briefMemo.value(for: exception, making: makeBrief)
    }

    static func makeBrief(_ exception: String) -> String {
        var text = makeShort(exception)
        if let range = text.asciiRange(of: " for url: ") { text = String(text[..<range.lowerBound]) }
        for boilerplate in ["Client Error: ", "Server Error: "] {
            if let range = text.asciiRange(of: boilerplate) { text.removeSubrange(range) }
        }
        return text
    }
}

extension ExceptionText {
    /// `short` or `brief` of an ASCII text, made on its bytes with one string allocated; nil for any other
    /// text. For ASCII, a character is a byte, so this is `makeShort`/`makeBrief` without walking
    /// characters.
    ///
    /// Why: the rows on screen change every frame in a storm, and their texts often carry a task's own
    /// id or URL, so a memo rarely knows them; the character walks and the memo's upkeep then cost 4% of
    /// the dashboard's main thread at 2,000 events/s (perf).
    static func ascii(_ exception: String, brief: Bool) -> String? {
        var text = exception
        return text.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 2) { out in
                var count = shorten(bytes, into: out)
                if brief { count = makeBrief(out, count: count) }
                return String(decoding: UnsafeBufferPointer(rebasing: out[0..<count]), as: UTF8.self)
            }
        }
    }

    /// Writes `makeShort`'s result for the ASCII `text` into `out` (room for two bytes more than `text`);
    /// returns its length.
    private static func shorten(_ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var start = 0
        var end = text.count
        if text.starts(with: "Retry in ".utf8), let colon = text.firstIndex(of: UInt8(ascii: ":")) {
            start = colon + 1
            while start < end, text[start] == UInt8(ascii: " ") { start += 1 }
            while end > start, text[end - 1] == UInt8(ascii: " ") { end -= 1 }
        }
        func copy(_ range: Range<Int>, to offset: Int) -> Int {
            for index in range { out[offset + index - range.lowerBound] = text[index] }
            return offset + range.count
        }
        guard end > start, text[end - 1] == UInt8(ascii: ")"),
              let open = text[start..<end].firstIndex(of: UInt8(ascii: "(")) else { return copy(start..<end, to: 0) }
        var innerStart = open + 1
        var innerEnd = end - 1
        if innerEnd > innerStart, text[innerEnd - 1] == UInt8(ascii: ",") { innerEnd -= 1 }
        if innerEnd - innerStart >= 2, text[innerStart] == UInt8(ascii: "'") || text[innerStart] == UInt8(ascii: "\""),
           text[innerEnd - 1] == text[innerStart] {
            innerStart += 1
            innerEnd -= 1
        }
        var count = copy(start..<open, to: 0)
        guard innerEnd > innerStart else { return count }
        out[count] = UInt8(ascii: ":")
        out[count + 1] = UInt8(ascii: " ")
        count = copy(innerStart..<innerEnd, to: count + 2)
        return count
    }

    /// `makeBrief`'s trimming of a short text in `out[0..<count]`, in place; returns the new length.
    private static func makeBrief(_ out: UnsafeMutableBufferPointer<UInt8>, count: Int) -> Int {
        var count = count
        if let cut = firstOffset(of: " for url: ", in: out, count: count) { count = cut }
        for boilerplate: StaticString in ["Client Error: ", "Server Error: "] {
            guard let at = firstOffset(of: boilerplate, in: out, count: count) else { continue }
            let length = boilerplate.utf8CodeUnitCount
            for index in (at + length)..<count { out[index - length] = out[index] }
            count -= length
        }
        return count
    }

    private static func firstOffset(of needle: StaticString, in out: UnsafeMutableBufferPointer<UInt8>, count: Int) -> Int? {
        firstOffset(
            of: UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount),
            in: UnsafeBufferPointer(start: out.baseAddress, count: count))
    }

    /// Where `pattern` first occurs in `bytes`, compared byte by byte; nil when it does not (or is empty).
    /// The one byte search of both paths: `String.asciiRange(of:)` and the ASCII byte path.
    static func firstOffset(of pattern: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let head = pattern.first, bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == head {
            var matched = 1
            while matched < pattern.count, bytes[start + matched] == pattern[matched] { matched += 1 }
            if matched == pattern.count { return start }
        }
        return nil
    }
}

extension String {
    /// The first occurrence of `needle` (ASCII), found by comparing UTF-8 bytes.
    ///
    /// Why: `firstRange(of:)` compares characters and cost a fifth of a dashboard frame (it runs for every
    /// row with an error, every frame). An ASCII needle starts and ends on scalar boundaries of the text.
    func asciiRange(of needle: String) -> Range<String.Index>? {
        var copy = self
        var pattern = needle
        let found: (offset: Int, count: Int)? = copy.withUTF8 { bytes in
            pattern.withUTF8 { pattern in ExceptionText.firstOffset(of: pattern, in: bytes).map { ($0, pattern.count) } }
        }
        guard let found else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: found.offset)
        return lower..<utf8.index(lower, offsetBy: found.count)
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
