import Monitor

/// Appends JSON the way Python's `json.dumps` writes it (`", "` and `": "` separators, ASCII only,
/// `\uXXXX` escapes, shortest round-trip floats), straight into a byte buffer.
struct WireWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 4_096) {
        bytes.reserveCapacity(capacity)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { raw(", ") }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\": ")
    }

    mutating func string(_ value: String?) {
        guard let value else {
            raw("null")
            return
        }
        bytes.append(UInt8(ascii: "\""))
        let hex = WireWriter.hexDigits
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x20..<0x7F: bytes.append(UInt8(scalar.value))
            default:
                var units: [UInt16] = []
                if scalar.value > 0xFFFF {
                    let offset = scalar.value - 0x10000
                    units = [UInt16(0xD800 + (offset >> 10)), UInt16(0xDC00 + (offset & 0x3FF))]
                } else {
                    units = [UInt16(scalar.value)]
                }
                for unit in units {
                    raw("\\u")
                    for shift in [12, 8, 4, 0] { bytes.append(hex[Int(unit >> UInt16(shift) & 0xF)]) }
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int?) {
        guard let value else {
            raw("null")
            return
        }
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func double(_ value: Double?) {
        guard let value else {
            raw("null")
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    mutating func bool(_ value: Bool?) {
        switch value {
        case .some(true): raw("true")
        case .some(false): raw("false")
        case .none: raw("null")
        }
    }

    /// Standard padded base64 of `input`, appended.
    mutating func base64(_ input: [UInt8]) {
        Base64.encode(input, into: &bytes)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)
}
