/// Groups exceptions that differ only by ids, numbers, hex and quoted URLs' query values.
///
/// `ConnectionError('flaky attempt 0 x=42')` and `ConnectionError('flaky attempt 3 x=7')` share the
/// fingerprint `ConnectionError('flaky attempt # x=#')`. Long messages are cut at `maxLength`.
public enum ExceptionFingerprint {
    public static let maxLength = 160

    public static func of(_ exception: String) -> String {
        var copy = exception
        if let ascii = copy.withUTF8({ bytes in isASCII(bytes) ? asciiFingerprint(bytes) : nil }) {
            return ascii
        }
        return unicodeFingerprint(exception)
    }

    /// Whether every byte is below 0x80, eight bytes at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(base[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    // Byte classes for the ASCII path.
    private static let digit: UInt8 = 1, hex: UInt8 = 2, word: UInt8 = 4, maskable: UInt8 = 8
    private static let classes: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        var bits: UInt8 = 0
        if byte &- 0x30 < 10 { bits |= digit | hex | maskable }
        if (byte | 0x20) &- 0x61 < 6 { bits |= hex | maskable }
        if (byte | 0x20) &- 0x61 < 26 || byte == 0x5F { bits |= word }
        if byte == 0x2D || byte == 0x2E || byte == 0x78 { bits |= maskable }
        return bits
    }

    /// The same rules as `unicodeFingerprint`, on bytes, for the (usual) all-ASCII exception text.
    ///
    /// One pass with a byte-class table, writing into the output's own storage: a storm's texts differ
    /// per task (ids, counts), so every task's first failure computes one.
    static func asciiFingerprint(_ text: UnsafeBufferPointer<UInt8>) -> String {
        let count = min(text.count, maxLength * 2)
        guard count > 0, let input = text.baseAddress else { return "" }
        return classes.withUnsafeBufferPointer { table in
            let classOf = table.baseAddress!
            func has(_ byte: UInt8, _ bits: UInt8) -> Bool { classOf[Int(byte)] & bits != 0 }
            let output = [UInt8](unsafeUninitializedCapacity: count) { out, written in
                var length = 0
                var previousWasMask = false
                var index = 0
                while index < count {
                    let byte = input[index]
                    let bits = classOf[Int(byte)]
                    if bits & digit != 0 || (bits & hex != 0 && startsHexRun(input, index, count, classOf)) {
                        // Mask a run of digits, hex digits of a uuid or address, dots and dashes in numbers.
                        var end = index
                        var sawDigit = false
                        while end < count, has(input[end], maskable) {
                            sawDigit = sawDigit || has(input[end], digit)
                            end += 1
                        }
                        if sawDigit {
                            if !previousWasMask {
                                out[length] = 0x23
                                length += 1
                            }
                            previousWasMask = true
                            index = end
                            continue
                        }
                    }
                    if bits & word != 0 {
                        while index < count, has(input[index], word) {
                            out[length] = input[index]
                            length += 1
                            index += 1
                        }
                    } else {
                        out[length] = byte
                        length += 1
                        index += 1
                    }
                    previousWasMask = false
                }
                written = length
            }
            if output.count > maxLength { return String(decoding: output[0..<maxLength], as: UTF8.self) + "…" }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Whether a hex digit at `index` starts a run of at least 8 hex digits and dashes that begins a
    /// word (not the middle of an identifier like `ValueError`).
    @inline(__always)
    private static func startsHexRun(
        _ input: UnsafePointer<UInt8>, _ index: Int, _ count: Int, _ classOf: UnsafePointer<UInt8>
    ) -> Bool {
        if index > 0, classOf[Int(input[index - 1])] & word != 0 { return false }
        var end = index
        while end < count, classOf[Int(input[end])] & hex != 0 || input[end] == 0x2D { end += 1 }
        return end - index >= 8
    }

    /// The fingerprint of any text: numbers (any script's digits), hex runs of 8+ that start a word,
    /// and the dots, dashes and `x` inside them become one `#`; words (alphabetic and `_`) are kept.
    ///
    /// ASCII scalars are classified by table and only the others ask for their Unicode properties; the
    /// output is built as UTF-8 bytes.
    static func unicodeFingerprint(_ exception: String) -> String {
        var output: [UInt8] = []
        var previousWasMask = false
        let scalars = Array(exception.unicodeScalars.prefix(maxLength * 2))
        output.reserveCapacity(scalars.count + 8)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isNumeric(scalar) || isHexRun(scalars, index) {
                // Mask a run of digits, hex digits of a uuid or address, dots and dashes inside numbers.
                var end = index
                while end < scalars.count, isMaskable(scalars[end]) { end += 1 }
                if scalars[index..<end].contains(where: isNumeric) {
                    if !previousWasMask { output.append(0x23) }
                    previousWasMask = true
                    index = end
                    continue
                }
            }
            if isWordScalar(scalar) {
                while index < scalars.count, isWordScalar(scalars[index]) {
                    UTF8.encode(scalars[index]) { output.append($0) }
                    index += 1
                }
                previousWasMask = false
                continue
            }
            UTF8.encode(scalar) { output.append($0) }
            previousWasMask = false
            index += 1
        }
        let text = String(decoding: output, as: UTF8.self)
        return text.count > maxLength ? String(text.prefix(maxLength)) + "…" : text
    }

    /// The exception type: the text before `(` or `:`, e.g. `ConnectionError`.
    public static func typeName(of exception: String) -> String {
        let end = exception.firstIndex(where: { $0 == "(" || $0 == ":" }) ?? exception.endIndex
        let name = exception[..<end].trimmingSpaces()
        return name.isEmpty ? exception : String(name)
    }

    private static func isNumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar.value &- 0x30 < 10 : scalar.properties.numericType != nil
    }

    private static func isMaskable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && classes[Int(scalar.value)] & maskable != 0
    }

    private static func isHexRun(_ scalars: [Unicode.Scalar], _ index: Int) -> Bool {
        // A hex run starts a word (not in the middle of an identifier like `ValueError`).
        guard isHexDigit(scalars[index]) else { return false }
        if index > 0, isWordScalar(scalars[index - 1]) { return false }
        var end = index
        while end < scalars.count, isHexDigit(scalars[end]) || scalars[end] == "-" { end += 1 }
        return end - index >= 8
    }

    private static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && classes[Int(scalar.value)] & hex != 0
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? classes[Int(scalar.value)] & word != 0 : scalar.properties.isAlphabetic
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
