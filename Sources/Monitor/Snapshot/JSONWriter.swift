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
            output += String(Int(value))
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

    public static func escape(_ value: String, into output: inout String) {
        output += "\""
        var plain = true
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
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
                case let control where control.value < 0x20:
                    let hex = String(control.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
