/// A forward-only JSON tokenizer over UTF-8 bytes, the fast parsing path for event bodies.
///
/// Foundation's JSON costs about 10 µs per object on this kind of machine; the ingest path needs several
/// times that speed, so events are read field by field straight from the bytes, skipping what is not
/// needed and allocating only the strings that are kept. The scanner never traps on bad input: every
/// failure is a thrown `JSONScanError`, which the decoder counts.
struct JSONScanner: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    /// Nesting guard: deeper documents are rejected rather than recursing without bound.
    static let maxDepth = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func expect(_ byte: UInt8) throws(JSONScanError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { throw .unexpected(position) }
        position += 1
    }

    /// Consumes `byte` if it is next; returns whether it was.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if position < bytes.count, bytes[position] == byte {
            position += 1
            return true
        }
        return false
    }

    /// Reads a string token and returns the byte range of its raw contents and whether it holds escapes.
    ///
    /// Long strings (base64 bodies, tracebacks) dominate the bytes, so the scan looks at 8 bytes at a
    /// time for a quote or a backslash, and goes byte by byte only around escapes.
    mutating func readRawString() throws(JSONScanError) -> (start: Int, end: Int, escaped: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = position
        var escaped = false
        while true {
            position = nextQuoteOrBackslash(from: position)
            guard position < bytes.count else { throw .unterminatedString }
            if bytes[position] == UInt8(ascii: "\"") {
                let end = position
                position += 1
                return (start, end, escaped)
            }
            escaped = true
            position += 2
        }
    }

    /// The index of the next `"` or `\` at or after `index`, or `bytes.count`.
    @inline(__always)
    func nextQuoteOrBackslash(from index: Int) -> Int {
        var ignored: UInt64 = 0
        return nextQuoteOrBackslash(from: index, highBits: &ignored)
    }

    mutating func readString() throws(JSONScanError) -> String {
        let raw = try readRawString()
        if !raw.escaped {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[raw.start..<raw.end]), as: UTF8.self)
        }
        return try unescape(raw.start, raw.end)
    }

    /// The raw bytes of the next string token, unescaped only if needed, handed to `body` without a copy.
    /// Bytes that are not valid UTF-8 reach `body` as sent, escapes or not (never repaired to U+FFFD).
    mutating func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) throws(JSONScanError) -> R {
        let raw = try readRawString()
        if !raw.escaped { return body(UnsafeBufferPointer(rebasing: bytes[raw.start..<raw.end])) }
        var failure: JSONScanError?
        let unescaped = [UInt8](unsafeUninitializedCapacity: max(1, raw.end - raw.start)) { out, count in
            (count, failure) = unescape(raw.start, raw.end, into: out)
        }
        if let failure { throw failure }
        return unescaped.withUnsafeBufferPointer(body)
    }

    /// Reads a string token for keeping escaped: an ASCII value is copied as it is, its escapes checked
    /// (bad ones throw, as `readString` does) and its unescaped length counted; anything else is unescaped.
    ///
    /// One pass finds the end, counts the simple escapes (each one byte shorter unescaped) and notes
    /// whether any byte is past ASCII; `\u` escapes (rare in tracebacks) are counted afterwards.
    mutating func readEscapedText() throws(JSONScanError) -> EscapedText {
        try expect(UInt8(ascii: "\""))
        let start = position
        var simpleEscapes = 0
        var otherEscapes = false
        var highBits: UInt64 = 0
        while true {
            position = nextQuoteOrBackslash(from: position, highBits: &highBits)
            guard position < bytes.count else { throw .unterminatedString }
            if bytes[position] == UInt8(ascii: "\"") { break }
            if position + 1 < bytes.count {
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    simpleEscapes += 1
                default:
                    otherEscapes = true
                }
            }
            position += 2
        }
        let end = position
        position += 1
        let range = UnsafeBufferPointer(rebasing: bytes[start..<end])
        let escaped = simpleEscapes > 0 || otherEscapes
        // `highBits` may include bytes just past the string: a false "not ASCII" only takes the slow path.
        guard !range.isEmpty, highBits & 0x8080_8080_8080_8080 == 0 else {
            return EscapedText(escaped ? try unescape(start, end) : String(decoding: range, as: UTF8.self))
        }
        let length = otherEscapes ? try unescapedLength(start, end) : range.count - simpleEscapes
        return EscapedText(escaped: Array(range), utf8Count: length)
    }

    /// The index of the next `"` or `\` at or after `index` (or `bytes.count`), OR-ing the bytes it
    /// looks at into `highBits` (in 8-byte lanes: only the high bit of each byte means anything; the
    /// rest of the 16-byte block that holds the hit may be included).
    ///
    /// 16 bytes at a time (base64 bodies and tracebacks are long): two byte-wise compares, and the
    /// position of the first hit from the compare mask; byte by byte only for the last < 16 bytes.
    @inline(__always)
    func nextQuoteOrBackslash(from index: Int, highBits: inout UInt64) -> Int {
        var index = index
        let count = bytes.count
        if let base = bytes.baseAddress {
            let quoteLanes = SIMD16<UInt8>(repeating: 0x22)
            let slashLanes = SIMD16<UInt8>(repeating: 0x5C)
            var seen = SIMD16<UInt8>(repeating: 0)
            defer {
                let halves = unsafeBitCast(seen, to: SIMD2<UInt64>.self)
                highBits |= halves[0] | halves[1]
            }
            while index + 16 <= count {
                let lanes = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<UInt8>.self)
                seen |= lanes
                let hits = unsafeBitCast((lanes .== quoteLanes) .| (lanes .== slashLanes), to: SIMD2<UInt64>.self)
                // A hit lane is 0xFF: the first set bit's byte is the first quote or backslash (little-endian).
                if hits[0] != 0 { return index + UInt64(littleEndian: hits[0]).trailingZeroBitCount / 8 }
                if hits[1] != 0 { return index + 8 + UInt64(littleEndian: hits[1]).trailingZeroBitCount / 8 }
                index += 16
            }
        }
        while index < count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            highBits |= UInt64(bytes[index])
            index += 1
        }
        return index
    }

    /// The UTF-8 length `unescape(start, end)` produces, for ASCII input, with the same checks.
    func unescapedLength(_ start: Int, _ end: Int) throws(JSONScanError) -> Int {
        var length = end - start
        var index = start
        while true {
            index = nextQuoteOrBackslash(from: index)
            guard index < end else { return length }
            // bytes[index] is a backslash (a quote cannot occur inside the raw range).
            guard index + 1 < end else { throw .badEscape }
            let code = bytes[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                length -= 1
            case UInt8(ascii: "u"):
                guard var scalar = try? hex4(index, end) else { throw .badEscape }
                index += 4
                var consumed = 6
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= end,
                   bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                   let low = try? hex4(index + 2, end), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                    consumed = 12
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                length += UTF8.width(unicode) - consumed
            default:
                throw .badEscape
            }
        }
    }

    /// Whether the next string token is exactly `value` (no escapes).
    mutating func readStringEquals(_ value: StaticString) throws(JSONScanError) -> Bool {
        let raw = try readRawString()
        return !raw.escaped && keyEquals(raw, value)
    }

    /// Decodes the escapes in `start..<end` straight into a new string's storage (the result is never
    /// longer than the escaped text), copying the runs between escapes in one go.
    func unescape(_ start: Int, _ end: Int) throws(JSONScanError) -> String {
        var failure: JSONScanError?
        let text = String(unsafeUninitializedCapacity: max(1, end - start)) { out in
            let written: Int
            (written, failure) = unescape(start, end, into: out)
            return written
        }
        if let failure { throw failure }
        return text
    }

    /// Decodes the escapes in `start..<end` into `out` (at least `end - start` bytes); returns the bytes
    /// written and the failure, if any (`out` then holds only what came before it).
    func unescape(_ start: Int, _ end: Int, into out: UnsafeMutableBufferPointer<UInt8>) -> (Int, JSONScanError?) {
        var written = 0
        var index = start
        func put(_ byte: UInt8) {
            out[written] = byte
            written += 1
        }
        while index < end {
            let next = min(end, nextQuoteOrBackslash(from: index))
            if next > index {
                let run = next - index
                UnsafeMutableRawPointer(out.baseAddress! + written)
                    .copyMemory(from: bytes.baseAddress! + index, byteCount: run)
                written += run
                index = next
                continue
            }
            // bytes[index] is a backslash (a quote cannot occur inside the raw range).
            guard index + 1 < end else { return (written, .badEscape) }
            let code = bytes[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "\""): put(0x22)
            case UInt8(ascii: "\\"): put(0x5C)
            case UInt8(ascii: "/"): put(0x2F)
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = try? hex4(index, end) else { return (written, .badEscape) }
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= end,
                   bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                   let low = try? hex4(index + 2, end), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                for unit in UTF8.encode(unicode)! { put(unit) }
            default:
                return (written, .badEscape)
            }
        }
        return (written, nil)
    }

    private func hex4(_ index: Int, _ end: Int) throws(JSONScanError) -> UInt32 {
        guard index + 4 <= end else { throw .badEscape }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .badEscape
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Reads a number token. Integers up to 2^53 are exact.
    mutating func readNumber() throws(JSONScanError) -> Double {
        skipWhitespace()
        let start = position
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var simple = true
        while position < bytes.count, bytes[position] &- 0x30 < 10 {
            if digits < 18 { mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- 0x30) } else { simple = false }
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw .unexpected(start) }
        var fractionDigits = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            while position < bytes.count, bytes[position] &- 0x30 < 10 {
                if digits < 18 { mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- 0x30); fractionDigits += 1 } else { simple = false }
                digits += 1
                position += 1
            }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            simple = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            while position < bytes.count, bytes[position] &- 0x30 < 10 { position += 1 }
        }
        if simple, fractionDigits < JSONScanner.powersOfTen.count {
            let value = Double(mantissa) / JSONScanner.powersOfTen[fractionDigits]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text) else { throw .unexpected(start) }
        return value
    }

    private static let powersOfTen: [Double] = (0...18).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Reads `true`, `false` or `null` (nil).
    mutating func readLiteral() throws(JSONScanError) -> Bool? {
        skipWhitespace()
        guard position < bytes.count else { throw .unexpectedEnd }
        switch bytes[position] {
        case UInt8(ascii: "t"): try word(4); return true
        case UInt8(ascii: "f"): try word(5); return false
        case UInt8(ascii: "n"): try word(4); return nil
        default: throw .unexpected(position)
        }
    }

    private mutating func word(_ length: Int) throws(JSONScanError) {
        guard position + length <= bytes.count else { throw .unexpectedEnd }
        position += length
    }

    /// Skips one complete value of any type.
    mutating func skipValue(depth: Int = 0) throws(JSONScanError) {
        guard depth < JSONScanner.maxDepth else { throw .tooDeep }
        guard let next = peek() else { throw .unexpectedEnd }
        switch next {
        case UInt8(ascii: "\""): _ = try readRawString()
        case UInt8(ascii: "{"):
            position += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try readRawString()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            position += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): _ = try readLiteral()
        default: _ = try readNumber()
        }
    }

    /// Whether the raw key bytes in `range` equal `key`.
    func keyEquals(_ range: (start: Int, end: Int, escaped: Bool), _ key: StaticString) -> Bool {
        let length = range.end - range.start
        guard length == key.utf8CodeUnitCount else { return false }
        let pointer = key.utf8Start
        for offset in 0..<length where bytes[range.start + offset] != pointer[offset] { return false }
        return true
    }
}

/// Why the scanner stopped; counted by the decoder as malformed JSON.
enum JSONScanError: Error, Equatable {
    case unexpected(Int)
    case unexpectedEnd
    case unterminatedString
    case badEscape
    case tooDeep
}
