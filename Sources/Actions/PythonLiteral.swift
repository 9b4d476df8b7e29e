import Monitor

/// Turns the repr strings Celery puts in events (`args`, `kwargs`) into JSON, strictly, or says why not.
///
/// Events carry `celery.utils.saferepr.saferepr(args, maxlen=1024, maxlevels=3)`, not the arguments.
/// That is not Python's `repr`: strings are always single-quoted and only `'` is escaped (as `\'`);
/// backslashes, newlines and non-ASCII characters appear raw; numbers and booleans are `str(value)`.
/// Truncation always leaves `...`: a cut string or number ends with `...`, a cut container gets `, ...`,
/// and nesting below `maxlevels` becomes `[...]`, `{...}` or `(...)`. So a repr is accepted only when it
/// holds no `...` outside strings, no string that ends with `...` (it may have been cut at a space,
/// far below the 1024 cap), and only plain literals: strings, ints, floats, True/False/None, lists,
/// tuples and dicts with string or int keys. Everything else is refused with the reason. Nothing is
/// evaluated; this is a parser for a small grammar.
///
/// The JSON is what Celery's JSON serializer put in the message for the same values: tuples become
/// arrays, int/bool/None dict keys become strings (`1` → `"1"`, `True` → `"true"`, `None` → `"null"`).
/// Numbers keep their text (`1e+20`, `1.5`), so nothing is rounded. Bound: nesting is at most 64 levels.
public enum PythonLiteral {
    /// Celery's `argsrepr_maxsize`/`kwargsrepr_maxsize`.
    public static let reprCap = 1_024

    /// Why a repr cannot be turned into exact arguments.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        /// `...` outside a string, or a string ending in `...`: Celery cut the repr.
        case truncated
        /// `[...]`, `{...}` or `(...)`: nesting deeper than `task_repr_maxlevels` was elided.
        case depthElided
        /// Valid repr text of something that is not a JSON-compatible literal (a datetime, a set, …).
        case notALiteral(String)
        /// Text that could come from Celery's repr of two different values.
        case ambiguous(String)
        /// Not repr text at all.
        case malformed(String)

        public var description: String {
            switch self {
            case .truncated:
                "the repr Celery sent is truncated (argsrepr/kwargsrepr are cut near \(PythonLiteral.reprCap) characters, and a long string is cut at a space)"
            case .depthElided: "the repr elides nesting deeper than Celery's task_repr_maxlevels ([...] or {...})"
            case .notALiteral(let what): "the repr holds \(what), which is not a plain JSON-compatible literal"
            case .ambiguous(let what): "the repr is ambiguous (\(what))"
            case .malformed(let what): "the repr is not a Python literal (\(what))"
            }
        }
    }

    /// The positional arguments as a JSON array (a tuple or list repr).
    public static func argsJSON(_ repr: String) throws(Refusal) -> String {
        let value = try parse(repr)
        guard value.hasPrefix("[") else { throw .notALiteral("a single value where a tuple of arguments was expected") }
        return value
    }

    /// The keyword arguments as a JSON object (a dict repr).
    public static func kwargsJSON(_ repr: String) throws(Refusal) -> String {
        let value = try parse(repr)
        guard value.hasPrefix("{") else { throw .notALiteral("a value where a dict of keyword arguments was expected") }
        return value
    }

    /// Parses one complete literal and returns its JSON text.
    public static func parse(_ repr: String) throws(Refusal) -> String {
        let scalars = Array(repr.unicodeScalars)
        try checkEllipses(scalars)
        var parser = Parser(scalars: scalars)
        let json = try parser.value(depth: 0)
        parser.skipSpaces()
        guard parser.index == parser.scalars.count else { throw .malformed("unexpected text after the value") }
        return json
    }

    /// Finds `...` outside strings: an elided level (`[...]`, `{...}`, `(...)`, `(...,)`) or a cut.
    static func checkEllipses(_ scalars: [Unicode.Scalar]) throws(Refusal) {
        var index = 0
        var elided = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "'" {
                index += 1
                while index < scalars.count, scalars[index] != "'" {
                    index += scalars[index] == "\\" && index + 1 < scalars.count && scalars[index + 1] == "'" ? 2 : 1
                }
                index += 1
                continue
            }
            if scalar == ".", index + 2 < scalars.count, scalars[index + 1] == ".", scalars[index + 2] == "." {
                let before = index > 0 ? scalars[index - 1] : " "
                let after = index + 3 < scalars.count ? scalars[index + 3] : " "
                let opens: [Unicode.Scalar: [Unicode.Scalar]] = ["[": ["]"], "{": ["}"], "(": [")", ","]]
                guard let closes = opens[before], closes.contains(after) else { throw .truncated }
                elided = true
                index += 3
                continue
            }
            index += 1
        }
        if elided { throw .depthElided }
    }

    /// A recursive-descent reader of saferepr text; `index` only moves forward.
    struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        static let maxDepth = 64

        mutating func skipSpaces() {
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\n" { index += 1 }
        }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }

        mutating func value(depth: Int) throws(Refusal) -> String {
            guard depth < Parser.maxDepth else { throw .malformed("nested too deeply") }
            skipSpaces()
            guard let first = peek() else { throw .malformed("unexpected end") }
            switch first {
            case "'": return try string()
            case "\"": throw .malformed("a double-quoted string, which Celery's saferepr never writes")
            case "[": return try sequence(close: "]", depth: depth)
            case "(": return try sequence(close: ")", depth: depth)
            case "{": return try dict(depth: depth)
            case "-", "+", "0"..."9": return try number()
            case "<": throw .notALiteral("an object repr (<…>)")
            default:
                let word = identifier()
                switch word {
                case "True": return "true"
                case "False": return "false"
                case "None": return "null"
                case "b", "rb", "br", "B": throw .notALiteral("bytes")
                case "inf", "nan": throw .notALiteral("a non-finite float")
                case "set", "frozenset": throw .notALiteral("a set")
                case "": throw .malformed("unexpected '\(first)'")
                default: throw .notALiteral("'\(word)…' (an object repr)")
                }
            }
        }

        mutating func identifier() -> String {
            var word = ""
            while let scalar = peek(), scalar.properties.isAlphabetic || scalar == "_" || ("0"..."9").contains(scalar) {
                word.unicodeScalars.append(scalar)
                index += 1
            }
            return word
        }

        mutating func sequence(close: Unicode.Scalar, depth: Int) throws(Refusal) -> String {
            index += 1
            var items: [String] = []
            skipSpaces()
            if peek() == close {
                index += 1
                return "[]"
            }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpaces()
                guard let next = peek() else { throw .malformed("unclosed '\(close == "]" ? "[" : "(")'") }
                if next == "," {
                    index += 1
                    skipSpaces()
                    if peek() == close {
                        index += 1
                        break
                    }
                    continue
                }
                if next == close {
                    index += 1
                    break
                }
                throw .malformed("expected ',' or '\(close)'")
            }
            return "[" + items.joined(separator: ",") + "]"
        }

        mutating func dict(depth: Int) throws(Refusal) -> String {
            index += 1
            var members: [String] = []
            var keys = Set<String>()
            skipSpaces()
            if peek() == "}" {
                index += 1
                return "{}"
            }
            while true {
                skipSpaces()
                let key: String
                guard let keyStart = peek() else { throw .malformed("unclosed '{'") }
                switch keyStart {
                case "'": key = try string()
                case "-", "+", "0"..."9":
                    let number = try number()
                    skipSpaces()
                    if peek() == "," || peek() == "}" { throw .notALiteral("a set") }
                    guard !number.contains("."), !number.contains("e"), !number.contains("E") else {
                        throw .notALiteral("a float dict key")
                    }
                    var text = ""
                    JSONWriter.escape(number, into: &text)
                    key = text
                case "[", "(", "{":
                    throw .notALiteral("a dict key that is not a string or int")
                default:
                    let word = identifier()
                    switch word {
                    case "True": key = "\"true\""
                    case "False": key = "\"false\""
                    case "None": key = "\"null\""
                    default: throw .notALiteral("a dict key that is not a string or int")
                    }
                }
                skipSpaces()
                guard peek() == ":" else {
                    if peek() == "," || peek() == "}" { throw .notALiteral("a set") }
                    throw .malformed("expected ':' in a dict")
                }
                // JSON keys are strings: 1 and '1' would collide, and the serializer kept only one.
                guard keys.insert(key).inserted else { throw .ambiguous("two keys that are the same JSON key \(key)") }
                index += 1
                let value = try value(depth: depth + 1)
                members.append(key + ":" + value)
                skipSpaces()
                guard let next = peek() else { throw .malformed("unclosed '{'") }
                if next == "," {
                    index += 1
                    skipSpaces()
                    if peek() == "}" {
                        index += 1
                        break
                    }
                    continue
                }
                if next == "}" {
                    index += 1
                    break
                }
                throw .malformed("expected ',' or '}'")
            }
            return "{" + members.joined(separator: ",") + "}"
        }

        /// `str(int)` or `str(float)`: `-5`, `1.5`, `1e+20`, `1e-05`, `2.5e-07`. JSON-valid as written,
        /// except that JSON needs digits on both sides of a point.
        mutating func number() throws(Refusal) -> String {
            var text = ""
            if peek() == "-" || peek() == "+" {
                if peek() == "-" { text = "-" }
                index += 1
            }
            var digits = 0
            var isFloat = false
            while let scalar = peek() {
                if ("0"..."9").contains(scalar) {
                    digits += 1
                } else if scalar == "." || scalar == "e" || scalar == "E" {
                    isFloat = true
                } else if scalar == "-" || scalar == "+", let last = text.unicodeScalars.last, last == "e" || last == "E" {
                    // exponent sign
                } else {
                    break
                }
                text.unicodeScalars.append(scalar)
                index += 1
            }
            guard digits > 0 else {
                if identifier() == "inf" { throw .notALiteral("a non-finite float") }
                throw .malformed("a sign without digits")
            }
            if let next = peek(), next.properties.isAlphabetic || next == "_" || next == "/" {
                throw .notALiteral("a number with a suffix (complex, fraction or other)")
            }
            if isFloat {
                guard Double(text) != nil, text.unicodeScalars.filter({ $0 == "." }).count <= 1 else {
                    throw .malformed("bad float \(text)")
                }
                if text.hasSuffix(".") { text += "0" }
                if text.hasPrefix(".") { text = "0" + text }
                if text.hasPrefix("-.") { text = "-0" + text.dropFirst() }
                if let dot = text.firstIndex(of: "."), let after = text.index(dot, offsetBy: 1, limitedBy: text.endIndex),
                   after < text.endIndex, text[after] == "e" || text[after] == "E" {
                    text.insert("0", at: after)
                }
            } else {
                let unsigned = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
                guard unsigned == "0" || !unsigned.hasPrefix("0") else { throw .malformed("leading zero") }
            }
            return text
        }

        /// A saferepr string: `'` … `'` with only `\'` escaped; every other character is itself.
        ///
        /// `\'` followed by what could end a string (`,` `:` `)` `]` `}` or the end) is refused: a
        /// string ending in a backslash is written the same way, so the two readings cannot be told apart.
        mutating func string() throws(Refusal) -> String {
            index += 1
            var decoded = String.UnicodeScalarView()
            while true {
                guard let scalar = peek() else { throw .malformed("unterminated string") }
                index += 1
                if scalar == "'" { break }
                if scalar == "\\", peek() == "'" {
                    index += 1
                    var lookahead = index
                    while lookahead < scalars.count, scalars[lookahead] == " " { lookahead += 1 }
                    if lookahead >= scalars.count || [",", ":", ")", "]", "}"].contains(scalars[lookahead]) {
                        throw .ambiguous("a backslash before a quote: a quote inside the string or a string ending in a backslash")
                    }
                    decoded.append("'")
                    continue
                }
                decoded.append(scalar)
            }
            let text = String(decoded)
            if text.hasSuffix("...") { throw .truncated }
            var json = ""
            JSONWriter.escape(text, into: &json)
            return json
        }
    }
}
