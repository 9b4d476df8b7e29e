/// Groups exceptions that differ only by ids, numbers, hex and quoted URLs' query values.
///
/// `ConnectionError('flaky attempt 0 x=42')` and `ConnectionError('flaky attempt 3 x=7')` share the
/// fingerprint `ConnectionError('flaky attempt # x=#')`. Long messages are cut at `maxLength`.
public enum ExceptionFingerprint {
    public static let maxLength = 160

    public static func of(_ exception: String) -> String {
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
