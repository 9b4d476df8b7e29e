/// Cuts JSON text into the exact text of its top-level elements or members, without re-encoding.
///
/// Why: a requeue must re-send the arguments byte for byte as the worker got them (big integers,
/// float spellings, escapes), so the args and kwargs found in a task body or a result-backend record
/// are copied as text, never parsed into numbers and printed again. Pure; nesting is bounded by the
/// scanner's 64 levels.
public enum RawJSON {
    /// The text of each element of a top-level array, or nil when `bytes` is not one JSON array.
    public static func elements(_ bytes: [UInt8]) -> [String]? {
        bytes.withUnsafeBufferPointer { buffer -> [String]? in
            var scanner = JSONScanner(buffer)
            do {
                try scanner.expect(UInt8(ascii: "["))
                var items: [String] = []
                if !scanner.consume(UInt8(ascii: "]")) {
                    repeat {
                        scanner.skipWhitespace()
                        let start = scanner.position
                        try scanner.skipValue()
                        items.append(text(buffer, start, scanner.position))
                    } while scanner.consume(UInt8(ascii: ","))
                    try scanner.expect(UInt8(ascii: "]"))
                }
                scanner.skipWhitespace()
                return scanner.isAtEnd ? items : nil
            } catch {
                return nil
            }
        }
    }

    /// The text of each member value of a top-level object, by key, or nil when `bytes` is not one
    /// JSON object. A repeated key keeps its last value, as Python's `json` does.
    public static func members(_ bytes: [UInt8]) -> [String: String]? {
        bytes.withUnsafeBufferPointer { buffer -> [String: String]? in
            var scanner = JSONScanner(buffer)
            do {
                try scanner.expect(UInt8(ascii: "{"))
                var members: [String: String] = [:]
                if !scanner.consume(UInt8(ascii: "}")) {
                    repeat {
                        let key = try scanner.readString()
                        try scanner.expect(UInt8(ascii: ":"))
                        scanner.skipWhitespace()
                        let start = scanner.position
                        try scanner.skipValue()
                        members[key] = text(buffer, start, scanner.position)
                    } while scanner.consume(UInt8(ascii: ","))
                    try scanner.expect(UInt8(ascii: "}"))
                }
                scanner.skipWhitespace()
                return scanner.isAtEnd ? members : nil
            } catch {
                return nil
            }
        }
    }

    /// The decoded value of a JSON string token, or nil when `json` is not a string token.
    public static func string(_ json: String) -> String? {
        let bytes = Array(json.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> String? in
            var scanner = JSONScanner(buffer)
            guard let value = try? scanner.readString() else { return nil }
            scanner.skipWhitespace()
            return scanner.isAtEnd ? value : nil
        }
    }

    /// The value of a JSON integer token, or nil.
    public static func int(_ json: String) -> Int? {
        Int(json.trimming(" \n\t\r"))
    }

    private static func text(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
    }
}
