/// A task id as the fold keys it: a canonical UUID (what Celery generates) packed into 16 inline bytes,
/// any other id kept as its text.
///
/// Why: every event looks its task up, and a task sits in several indexes (`tasks`, `retryingIDs`,
/// `activeIDs`, the traceback store, exception groups' recent tasks). Keyed by the 36-byte id string,
/// each of those cost a SipHash over 36 bytes plus a `memcmp` against a key stored on the heap (a cache
/// miss per lookup at 100,000 tasks), and every index held another reference to the string. Packed, a
/// key hashes two words and compares inline, and a task's id needs no heap allocation at all.
///
/// Exact: only the lowercase `8-4-4-4-12` hex form is packed, so `string` always gives back the id
/// exactly as Celery sent it; anything else (upper case, custom ids) stays text. The two forms never
/// hold the same id, so equality is equality of ids. Order is the id strings' order.
///
/// An id that is not valid UTF-8 is a third form: its text with each bad byte written `\xNN` and each
/// backslash doubled. Repairing the bytes to U+FFFD instead made distinct ids one task; escaped, they stay
/// distinct, and never equal a valid id that happens to read the same.
public struct TaskKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    private enum Form: Sendable {
        case uuid(UInt64, UInt64)
        case text(String)
        case invalidUTF8(String)
    }

    private let form: Form

    public init(_ id: String) {
        var copy = id
        form = copy.withUTF8 { TaskKey.packed($0) } ?? .text(id)
    }

    /// The key of the id held in `bytes` (UTF-8, unescaped), allocating only when it is not a UUID.
    package init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if let packed = TaskKey.packed(bytes) {
            form = packed
        } else if let text = String(validating: bytes, as: UTF8.self) {
            form = .text(text)
        } else {
            form = .invalidUTF8(TaskKey.escaping(bytes))
        }
    }

    /// Whether the id as sent was not valid UTF-8 (its `string` shows the bad bytes as `\xNN`).
    public var isInvalidUTF8: Bool {
        if case .invalidUTF8 = form { return true }
        return false
    }

    /// `bytes` as text: valid UTF-8 kept, each other byte as `\xNN`, each backslash as `\\` (so the
    /// text maps back to exactly one byte string).
    static func escaping(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var text = ""
        var index = 0
        let hex = Array("0123456789abcdef".unicodeScalars)
        while index < bytes.count {
            let lead = bytes[index]
            let width = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xF0 && lead < 0xF5 ? 4 : 0
            if width > 1, index + width <= bytes.count,
               let scalar = String(validating: UnsafeBufferPointer(rebasing: bytes[index..<index + width]), as: UTF8.self) {
                text += scalar
                index += width
                continue
            }
            if lead == UInt8(ascii: "\\") {
                text += "\\\\"
            } else if lead < 0x80 {
                text.unicodeScalars.append(Unicode.Scalar(lead))
            } else {
                text += "\\x"
                text.unicodeScalars.append(hex[Int(lead >> 4)])
                text.unicodeScalars.append(hex[Int(lead & 0xF)])
            }
            index += 1
        }
        return text
    }

    /// The id as Celery sent it.
    public var string: String {
        switch form {
        case .text(let text), .invalidUTF8(let text):
            return text
        case .uuid(let high, let low):
            return String(unsafeUninitializedCapacity: 36) { out in
                var position = 0
                func put(_ word: UInt64, nibbles: Range<Int>) {
                    for nibble in nibbles {
                        if position == 8 || position == 13 || position == 18 || position == 23 {
                            out[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        let value = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * nibble)) & 0xF
                        out[position] = value < 10 ? value + 0x30 : value + 0x57
                        position += 1
                    }
                }
                put(high, nibbles: 0..<16)
                put(low, nibbles: 0..<16)
                return 36
            }
        }
    }

    public var description: String { string }

    public var isEmpty: Bool {
        if case .text(let text) = form { return text.isEmpty }
        return false
    }

    public func hash(into hasher: inout Hasher) {
        switch form {
        case .uuid(let high, let low):
            hasher.combine(high)
            hasher.combine(low)
        case .text(let text):
            hasher.combine(text)
        case .invalidUTF8(let text):
            hasher.combine(0xFF as UInt8)
            hasher.combine(text)
        }
    }

    /// What `Dictionary` and `Set` hash with: for a packed UUID, the two words mixed with the table's
    /// seed (a multiply-xorshift finalizer, ~10 instructions) instead of a SipHash round trip (~80).
    /// Celery's ids are random UUIDs and the seed is per process and per table, so the cheap mix keeps
    /// buckets even; other ids use String's own hash. Not flood-proof like SipHash: a producer that knew
    /// the seed could craft colliding UUIDs; a monitor reads its own broker, so speed wins here.
    public func _rawHashValue(seed: Int) -> Int {
        switch form {
        case .uuid(let high, let low):
            return Int(truncatingIfNeeded: TaskKey.mix(high, low, seed: seed))
        case .text(let text), .invalidUTF8(let text):
            return text._rawHashValue(seed: seed)
        }
    }

    @inline(__always)
    static func mix(_ high: UInt64, _ low: UInt64, seed: Int) -> UInt64 {
        var x = high ^ UInt64(bitPattern: Int64(seed)) &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9 ^ low
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }

    public static func == (lhs: TaskKey, rhs: TaskKey) -> Bool {
        switch (lhs.form, rhs.form) {
        case (.uuid(let a, let b), .uuid(let c, let d)): a == c && b == d
        case (.text(let a), .text(let b)), (.invalidUTF8(let a), .invalidUTF8(let b)): a == b
        default: false
        }
    }

    public static func < (lhs: TaskKey, rhs: TaskKey) -> Bool {
        // Lowercase hex digits sort like their values and the dashes sit at the same places, so packed
        // UUIDs compare as numbers in the same order as their strings.
        if case .uuid(let a, let b) = lhs.form, case .uuid(let c, let d) = rhs.form { return (a, b) < (c, d) }
        let (left, right) = (lhs.string, rhs.string)
        // Equal text in two forms: a valid id sorts before an invalid one that reads the same.
        return left == right ? !lhs.isInvalidUTF8 && rhs.isInvalidUTF8 : left < right
    }

    /// The packed form of a lowercase `8-4-4-4-12` hex UUID, nil for anything else.
    ///
    /// Eight hex digits at a time in one 64-bit word (SWAR): each byte's value is computed, encoded
    /// back and compared with the input, which rejects every byte that is not `0-9a-f` at once.
    private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> Form? {
        guard bytes.count == 36, let base = bytes.baseAddress else { return nil }
        guard base[8] == 0x2D, base[13] == 0x2D, base[18] == 0x2D, base[23] == 0x2D else { return nil }
        let raw = UnsafeRawPointer(base)
        func load(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        func load4(_ offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        // Digit groups: 8 | 4+4 | 4+4 | 12 = 8 + 4.
        guard let a = nibbles(load(0)),
              let b = nibbles(load4(9) | load4(14) << 32),
              let c = nibbles(load4(19) | load4(24) << 32),
              let d = nibbles(load(28)) else { return nil }
        return .uuid(a << 32 | b, c << 32 | d)
    }

    /// Eight ASCII lowercase hex digits (the first in the lowest byte) as a 32-bit number, first digit
    /// most significant; nil if any byte is not `0-9a-f`.
    @inline(__always)
    private static func nibbles(_ word: UInt64) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        // '0'-'9' are 0x30-0x39 (bit 6 clear), 'a'-'f' 0x61-0x66 (bit 6 set, low nibble 1-6).
        let letters = (word >> 6) & ones
        let values = (word & (0x0F * ones)) &+ letters &* 9
        // Encode the values back: digits below 10 as 0x30 + v, the rest as 0x57 + v.
        let isLetter = ((values &+ 0x76 * ones) >> 7) & ones
        let encoded = values &+ 0x30 * ones &+ isLetter &* 0x27
        guard encoded == word, values & (0xF0 * ones) == 0 else { return nil }
        // Pack: bytes v0..v7 (v0 lowest) into nibbles v0 v1 ... v7 (v0 highest).
        let pairs = ((values & 0x000F_000F_000F_000F) << 4) | ((values & 0x0F00_0F00_0F00_0F00) >> 8)
        let quads = ((pairs & 0x0000_00FF_0000_00FF) << 8) | ((pairs & 0x00FF_0000_00FF_0000) >> 16)
        return ((quads & 0xFFFF) << 16) | ((quads >> 32) & 0xFFFF)
    }
}
