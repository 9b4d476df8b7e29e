/// A JSON string value kept as its escaped bytes until someone reads it (tracebacks: 1–2 KB per failing
/// event, read only when a person opens one).
///
/// The decoder checks every escape when it reads the value (bad escapes are still counted as malformed
/// JSON) and records the length of the unescaped UTF-8, so the traceback store's byte bound is exactly
/// what it was with `String`s. Values that are not plain ASCII are unescaped at once (the UTF-8 repair of
/// invalid bytes would otherwise make the recorded length differ), as are values built from a `String`.
/// Equality is that of the unescaped text.
struct EscapedText: Sendable, Equatable {
    enum Storage: Sendable {
        case text(String)
        /// ASCII JSON string contents, escapes intact, and the UTF-8 length once unescaped.
        case escaped([UInt8], utf8Count: Int)
    }

    var storage: Storage

    init(_ text: String) {
        storage = .text(text)
    }

    init(escaped bytes: [UInt8], utf8Count: Int) {
        storage = .escaped(bytes, utf8Count: utf8Count)
    }

    /// The unescaped text.
    var string: String {
        switch storage {
        case .text(let text):
            return text
        case .escaped(let bytes, _):
            return bytes.withUnsafeBufferPointer { buffer in
                let scanner = JSONScanner(buffer)
                // The escapes were checked when the value was decoded.
                return (try? scanner.unescape(0, buffer.count)) ?? ""
            }
        }
    }

    /// Bytes of UTF-8 in the unescaped text.
    var utf8Count: Int {
        switch storage {
        case .text(let text): text.utf8.count
        case .escaped(_, let count): count
        }
    }

    static func == (lhs: EscapedText, rhs: EscapedText) -> Bool {
        if case .escaped(let left, _) = lhs.storage, case .escaped(let right, _) = rhs.storage, left == right {
            return true
        }
        return lhs.string == rhs.string
    }
}
