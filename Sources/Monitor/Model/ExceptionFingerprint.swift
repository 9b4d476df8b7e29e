/// Groups exceptions that differ only by ids, numbers, hex and quoted URLs' query values.
///
/// `ConnectionError('flaky attempt 0 x=42')` and `ConnectionError('flaky attempt 3 x=7')` share the
/// fingerprint `ConnectionError('flaky attempt # x=#')`. Long messages are cut at `maxLength`.
public enum ExceptionFingerprint {
    public static let maxLength = 160

    public static func of(_ exception: String) -> String {
        var copy = exception
        if let ascii = copy.withUTF8({ bytes in bytes.allSatisfy { $0 < 0x80 } ? asciiFingerprint(bytes) : nil }) {
            return ascii
        }
        return unicodeFingerprint(exception)
    }

    /// The same rules as `unicodeFingerprint`, on bytes, for the (usual) all-ASCII exception text.
    static func asciiFingerprint(_ text: UnsafeBufferPointer<UInt8>) -> String {
        func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
        func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20) &- 0x61 < 6 }
        func isWord(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 || byte == 0x5F }
        func isMaskable(_ byte: UInt8) -> Bool { isHex(byte) || byte == 0x2D || byte == 0x2E || byte == 0x78 }
        let scalars = UnsafeBufferPointer(rebasing: text[0..<min(text.count, maxLength * 2)])
        func isHexRun(_ index: Int) -> Bool {
            guard isHex(scalars[index]) else { return false }
            if index > 0, isWord(scalars[index - 1]) { return false }
            var end = index
            while end < scalars.count, isHex(scalars[end]) || scalars[end] == 0x2D { end += 1 }
            return end - index >= 8
        }
        var output: [UInt8] = []
        output.reserveCapacity(scalars.count)
        var previousWasMask = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isDigit(scalar) || isHexRun(index) {
                var end = index
                while end < scalars.count, isMaskable(scalars[end]) { end += 1 }
                if scalars[index..<end].contains(where: isDigit) {
                    if !previousWasMask { output.append(0x23) }
                    previousWasMask = true
                    index = end
                    continue
                }
            }
            if isWord(scalar) {
                var end = index
                while end < scalars.count, isWord(scalars[end]) { end += 1 }
                output.append(contentsOf: scalars[index..<end])
                index = end
                previousWasMask = false
                continue
            }
            output.append(scalar)
            previousWasMask = false
            index += 1
        }
        if output.count > maxLength { return String(decoding: output[0..<maxLength], as: UTF8.self) + "…" }
        return String(decoding: output, as: UTF8.self)
    }

    static func unicodeFingerprint(_ exception: String) -> String {
        var output = String.UnicodeScalarView()
        var previousWasMask = false
        var scalars = Array(exception.unicodeScalars.prefix(maxLength * 2))
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.numericType != nil || isHexRun(scalars, index) {
                // Mask a run of digits, hex digits of a uuid or address, dots and dashes inside numbers.
                var end = index
                while end < scalars.count, isMaskable(scalars[end]) { end += 1 }
                let run = scalars[index..<end]
                if run.contains(where: { $0.properties.numericType != nil }) {
                    if !previousWasMask { output.append("#") }
                    previousWasMask = true
                    index = end
                    continue
                }
            }
            if isWordScalar(scalar) {
                var end = index
                while end < scalars.count, isWordScalar(scalars[end]) { end += 1 }
                for value in scalars[index..<end] { output.append(value) }
                index = end
                previousWasMask = false
                continue
            }
            output.append(scalar)
            previousWasMask = false
            index += 1
        }
        scalars = []
        let text = String(output)
        return text.count > maxLength ? String(text.prefix(maxLength)) + "…" : text
    }

    /// The exception type: the text before `(` or `:`, e.g. `ConnectionError`.
    public static func typeName(of exception: String) -> String {
        let end = exception.firstIndex(where: { $0 == "(" || $0 == ":" }) ?? exception.endIndex
        let name = exception[..<end].trimmingSpaces()
        return name.isEmpty ? exception : String(name)
    }

    private static func isMaskable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isASCIIHexDigit || scalar == "-" || scalar == "." || scalar == "x"
    }

    private static func isHexRun(_ scalars: [Unicode.Scalar], _ index: Int) -> Bool {
        // A hex run starts a word (not in the middle of an identifier like `ValueError`).
        guard scalars[index].properties.isASCIIHexDigit else { return false }
        if index > 0, isWordScalar(scalars[index - 1]) { return false }
        var end = index
        while end < scalars.count, scalars[end].properties.isASCIIHexDigit || scalars[end] == "-" { end += 1 }
        return end - index >= 8
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar == "_"
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result.removeFirst() }
        while result.last == " " { result.removeLast() }
        return result
    }
}
