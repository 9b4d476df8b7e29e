/// Turns the Python repr strings Celery puts in events (`args`, `kwargs`) into JSON, strictly, or says why not.
///
/// Events carry `saferepr(args)`, not the arguments. They can be used to requeue only when they are
/// complete and made of plain literals: strings, ints, floats, True/False/None, lists, tuples and dicts.
/// Anything else is refused with the reason: truncation (`...`, the 1024-character cap), nesting cut at
/// `task_repr_maxlevels` (`[...]`, `{...}`), or objects that are not literals (datetimes, Decimals,
/// sets, bytes, custom reprs). Nothing is evaluated; this is a parser for a small grammar.
public enum PythonLiteral {
    /// Celery's `argsrepr_maxsize`/`kwargsrepr_maxsize`: a repr this long may have been cut.
    public static let reprCap = 1_024
    /// Reprs at least this long are treated as possibly truncated (the cap plus a short suffix).
    public static let truncationThreshold = reprCap - 24

    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case truncated
        case depthElided
        case notALiteral(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .truncated: "the repr Celery sent is truncated (argsrepr/kwargsrepr are cut near 1024 characters)"
            case .depthElided: "the repr elides nesting deeper than Celery's task_repr_maxlevels ([...] or {...})"
            case .notALiteral(let what): "the repr holds \(what), which is not a plain JSON-compatible literal"
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
        if repr.utf8.count >= truncationThreshold { throw .truncated }
        var parser = Parser(scalars: Array(repr.unicodeScalars))
        let json = try parser.value(depth: 0)
        parser.skipSpaces()
        guard parser.index == parser.scalars.count else { throw .malformed("unexpected text after the value") }
        return json
    }

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
            case "'", "\"": return try string()
            case "[": return try sequence(close: "]", depth: depth, isTuple: false)
            case "(": return try sequence(close: ")", depth: depth, isTuple: true)
            case "{": return try dict(depth: depth)
            case ".":
                if peek(1) == ".", peek(2) == "." { throw .truncated }
                throw .malformed("unexpected '.'")
            case "-", "+", "0"..."9": return try number()
            default:
                let word = identifier()
                switch word {
                case "True": return "true"
                case "False": return "false"
                case "None": return "null"
                case "b", "rb", "br", "B": throw .notALiteral("bytes")
                case "inf", "nan": throw .notALiteral("a non-finite float")
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

        mutating func sequence(close: Unicode.Scalar, depth: Int, isTuple: Bool) throws(Refusal) -> String {
            index += 1
            var items: [String] = []
            skipSpaces()
            if peek() == close {
                index += 1
                return "[]"
            }
            while true {
                skipSpaces()
                if peek() == ".", peek(1) == ".", peek(2) == "." {
                    // `[...]` is elided depth; `..., ` inside a list is truncation.
                    throw items.isEmpty && peek(3) == close ? .depthElided : .truncated
                }
                items.append(try value(depth: depth + 1))
                skipSpaces()
                guard let next = peek() else { throw .truncated }
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
            _ = isTuple
            return "[" + items.joined(separator: ",") + "]"
        }

        mutating func dict(depth: Int) throws(Refusal) -> String {
            index += 1
            var members: [String] = []
            skipSpaces()
            if peek() == "}" {
                index += 1
                return "{}"
            }
            while true {
                skipSpaces()
                if peek() == ".", peek(1) == ".", peek(2) == "." {
                    throw members.isEmpty && peek(3) == "}" ? .depthElided : .truncated
                }
                let key: String
                guard let keyStart = peek() else { throw .truncated }
                switch keyStart {
                case "'", "\"": key = try string()
                case "-", "0"..."9":
                    let number = try number()
                    guard !number.contains("."), !number.contains("e"), !number.contains("E") else { throw .notALiteral("a float dict key") }
                    var text = ""
                    JSONWriter.escape(number, into: &text)
                    key = text
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
                index += 1
                let value = try value(depth: depth + 1)
                members.append(key + ":" + value)
                skipSpaces()
                guard let next = peek() else { throw .truncated }
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
                } else if (scalar == "-" || scalar == "+"), let last = text.unicodeScalars.last, last == "e" || last == "E" {
                    // exponent sign
                } else if scalar == "_" {
                    index += 1
                    continue
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
            if let next = peek(), next.properties.isAlphabetic { throw .notALiteral("a number with a suffix (complex or other)") }
            if isFloat {
                // JSON wants digits on both sides of the point: Python writes `1.0`, `1e-05`, `1.5e+20`.
                guard Double(text) != nil else { throw .malformed("bad float \(text)") }
                if text.hasSuffix(".") { text += "0" }
                if text.hasPrefix(".") || text.hasPrefix("-.") { text = text.replacingFirstDot() }
            } else if text.count > 1, text.hasPrefix("0") || text.hasPrefix("-0") {
                guard text == "-0" else { throw .malformed("leading zero") }
            }
            return text
        }

        mutating func string() throws(Refusal) -> String {
            guard let quote = peek() else { throw .malformed("unexpected end") }
            index += 1
            var decoded = String.UnicodeScalarView()
            while true {
                guard let scalar = peek() else { throw .truncated }
                index += 1
                if scalar == quote { break }
                if scalar == "\\" {
                    guard let code = peek() else { throw .truncated }
                    index += 1
                    switch code {
                    case "\\": decoded.append("\\")
                    case "'": decoded.append("'")
                    case "\"": decoded.append("\"")
                    case "n": decoded.append("\n")
                    case "r": decoded.append("\r")
                    case "t": decoded.append("\t")
                    case "0": decoded.append("\u{0}")
                    case "a": decoded.append("\u{7}")
                    case "b": decoded.append("\u{8}")
                    case "f": decoded.append("\u{C}")
                    case "v": decoded.append("\u{B}")
                    case "x": decoded.append(try hexScalar(2))
                    case "u": decoded.append(try hexScalar(4))
                    case "U": decoded.append(try hexScalar(8))
                    default: throw .malformed("unknown escape \\\(code)")
                    }
                    continue
                }
                decoded.append(scalar)
            }
            var json = ""
            JSONWriter.escape(String(decoded), into: &json)
            return json
        }

        mutating func hexScalar(_ count: Int) throws(Refusal) -> Unicode.Scalar {
            guard index + count <= scalars.count else { throw .truncated }
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let digit = scalars[index].properties.numericType != nil ? UInt32(String(scalars[index])) : hexLetter(scalars[index]) else {
                    throw .malformed("bad hex escape")
                }
                value = value * 16 + digit
                index += 1
            }
            guard let scalar = Unicode.Scalar(value) else { throw .notALiteral("a lone surrogate") }
            return scalar
        }

        func hexLetter(_ scalar: Unicode.Scalar) -> UInt32? {
            switch scalar {
            case "a"..."f": scalar.value - 87
            case "A"..."F": scalar.value - 55
            default: nil
            }
        }
    }
}

extension String {
    fileprivate func replacingFirstDot() -> String {
        hasPrefix("-") ? "-0" + dropFirst() : "0" + self
    }
}
