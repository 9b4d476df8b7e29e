/// Builds JSON text with keys in the order written, so snapshots and event lines are deterministic.
///
/// Numbers that are not finite are written as `null` (JSON has no NaN).
public struct JSONWriter: Sendable {
    public private(set) var output: String = ""
    private var needsComma: [Bool] = [false]

    public init() {
        output.reserveCapacity(1_024)
    }

    public mutating func beginObject(_ key: String? = nil) {
        prefix(key)
        output += "{"
        needsComma.append(false)
    }

    public mutating func endObject() {
        output += "}"
        needsComma.removeLast()
    }

    public mutating func beginArray(_ key: String? = nil) {
        prefix(key)
        output += "["
        needsComma.append(false)
    }

    public mutating func endArray() {
        output += "]"
        needsComma.removeLast()
    }

    /// An object (under `key`, or bare in an array) whose members `body` writes.
    public mutating func object(_ key: String? = nil, _ body: (inout JSONWriter) -> Void) {
        beginObject(key)
        body(&self)
        endObject()
    }

    /// An array (under `key`, or bare) with what `body` writes for each of `elements`, in order.
    public mutating func array<Elements: Sequence>(
        _ key: String? = nil, _ elements: Elements, _ body: (inout JSONWriter, Elements.Element) -> Void
    ) {
        beginArray(key)
        for element in elements { body(&self, element) }
        endArray()
    }

    public mutating func string(_ key: String?, _ value: String?) {
        prefix(key)
        guard let value else {
            output += "null"
            return
        }
        JSONWriter.escape(value, into: &output)
    }

    public mutating func number(_ key: String?, _ value: Double?) {
        prefix(key)
        guard let value, value.isFinite else {
            output += "null"
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            output += String(Int(value))  // finite and below 1e15: cannot trap
        } else {
            output += "\(value)"
        }
    }

    public mutating func int(_ key: String?, _ value: Int?) {
        prefix(key)
        output += value.map(String.init) ?? "null"
    }

    public mutating func bool(_ key: String?, _ value: Bool?) {
        prefix(key)
        output += value.map { $0 ? "true" : "false" } ?? "null"
    }

    public mutating func null(_ key: String?) {
        prefix(key)
        output += "null"
    }

    /// Inserts already-encoded JSON.
    public mutating func raw(_ key: String?, _ json: String) {
        prefix(key)
        output += json
    }

    private mutating func prefix(_ key: String?) {
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
        if let key {
            JSONWriter.escape(key, into: &output)
            output += ":"
        }
    }

    /// Writes `value` as a JSON string. Besides what JSON requires (`"`, `\\`, C0 controls), every
    /// scalar that could act on a terminal or reorder text when the output is printed is written as a
    /// `\\u` escape: DEL and the C1 controls (U+009B is a one-byte CSI), the bidi controls (U+061C,
    /// U+200E/U+200F, U+202A-U+202E, U+2066-U+2069) and the line and paragraph separators (U+2028/U+2029,
    /// which also end a line in JavaScript). The JSON means the same; only its bytes are safe to show.
    public static func escape(_ value: String, into output: inout String) {
        output += "\""
        var plain = true
        var ascii = true
        for byte in value.utf8 {
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
                plain = false
                break
            }
            if byte >= 0x80 { ascii = false }
        }
        // Past ASCII only a few scalars need escaping: look at scalars only when there are any.
        if plain, !ascii, value.unicodeScalars.contains(where: JSONWriter.needsUnicodeEscape) { plain = false }
        if plain {
            output += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case let control where control.value < 0x20 || JSONWriter.needsUnicodeEscape(control):
                    let hex = String(control.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// DEL, C1 controls, bidi controls and the Unicode line/paragraph separators (all in the BMP).
    static func needsUnicodeEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
