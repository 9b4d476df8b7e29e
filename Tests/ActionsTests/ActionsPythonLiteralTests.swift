@testable import Actions
import Foundation
import Testing
@testable import Monitor

/// `PythonLiteral` against reprs produced by Celery 5.7's own `saferepr(args, 1024)` (generated once
/// with the project venv; the expected JSON is `json.dumps(value, separators=(',', ':'),
/// ensure_ascii=False)` of the same value, i.e. what Celery's JSON serializer put in the message).
@Suite struct ActionsPythonLiteralTests {
    enum Expectation: Sendable {
        case json(String)
        case refused(Kind)
    }

    enum Kind: Sendable { case truncated, depthElided, notALiteral, ambiguous, malformed }

    struct SafereprCase: Sendable, CustomStringConvertible {
        var label: String
        var kwargs: Bool
        var repr: String
        var expect: Expectation
        init(_ label: String, kwargs: Bool, repr: String, expect: Expectation) {
            self.label = label
            self.kwargs = kwargs
            self.repr = repr
            self.expect = expect
        }
        var description: String { label }
    }

    static let cases: [SafereprCase] = [
        SafereprCase("spec tuple", kwargs: false, repr: "(1, 'two', [3, [4, 5]], {'six': 6})", expect: .json("[1,\"two\",[3,[4,5]],{\"six\":6}]")),
        SafereprCase("empty tuple", kwargs: false, repr: "()", expect: .json("[]")),
        SafereprCase("single", kwargs: false, repr: "(5,)", expect: .json("[5]")),
        SafereprCase("quotes", kwargs: false, repr: "('it\\'s', 'say \"hi\"', 'both \\' and \"')", expect: .json("[\"it's\",\"say \\\"hi\\\"\",\"both ' and \\\"\"]")),
        SafereprCase("backslash inside", kwargs: false, repr: "('C:\\path\\to', 'a\\nb')", expect: .json("[\"C:\\\\path\\\\to\",\"a\\\\nb\"]")),
        SafereprCase("newline raw", kwargs: false, repr: "('line1\nline2\ttab',)", expect: .json("[\"line1\\nline2\\ttab\"]")),
        SafereprCase("unicode", kwargs: false, repr: "('héllo wörld ✓ 日本語 🎉',)", expect: .json("[\"héllo wörld ✓ 日本語 🎉\"]")),
        SafereprCase("floats", kwargs: false, repr: "(1.5, -0.0, 1e+20, 1e-05, 2.5e-07, 123456789.125, 0.1)", expect: .json("[1.5,-0.0,1e+20,1e-05,2.5e-07,123456789.125,0.1]")),
        SafereprCase("ints", kwargs: false, repr: "(0, -7, 1000000000000000000000000000000, -10000000000000000000000000)", expect: .json("[0,-7,1000000000000000000000000000000,-10000000000000000000000000]")),
        SafereprCase("bools none", kwargs: false, repr: "(True, False, None)", expect: .json("[true,false,null]")),
        SafereprCase("nested 3", kwargs: false, repr: "([1, [2, [...]]],)", expect: .refused(.depthElided)),
        SafereprCase("dict keys", kwargs: false, repr: "({1: 'a', 'b': 2},)", expect: .json("[{\"1\":\"a\",\"b\":2}]")),
        SafereprCase("bool None keys", kwargs: false, repr: "({True: 1, None: 2},)", expect: .json("[{\"true\":1,\"null\":2}]")),
        SafereprCase("empty containers", kwargs: false, repr: "([], {}, ())", expect: .json("[[],{},[]]")),
        SafereprCase("spaces in string", kwargs: false, repr: "('a b c   d',)", expect: .json("[\"a b c   d\"]")),
        SafereprCase("ellipsis legit", kwargs: false, repr: "('wait...',)", expect: .refused(.truncated)),
        SafereprCase("mid ellipsis", kwargs: false, repr: "('a...b',)", expect: .json("[\"a...b\"]")),
        SafereprCase("long complete", kwargs: false, repr: "('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',)", expect: .json("[\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"]")),
        SafereprCase("long truncated", kwargs: false, repr: "('yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...',)", expect: .refused(.truncated)),
        SafereprCase("long spaced truncated", kwargs: false, repr: "('word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word...',)", expect: .refused(.truncated)),
        SafereprCase("early space truncated", kwargs: false, repr: "('x...',)", expect: .refused(.truncated)),
        SafereprCase("list 500", kwargs: false, repr: "([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 22..., ...],)", expect: .refused(.truncated)),
        SafereprCase("deep", kwargs: false, repr: "({'a': [1, 2, {...}], 'c': True},)", expect: .refused(.depthElided)),
        SafereprCase("datetime", kwargs: false, repr: "(datetime.datetime(2024, 1, 2, 3, 4, 5),)", expect: .refused(.notALiteral)),
        SafereprCase("date", kwargs: false, repr: "(datetime.date(2024, 1, 2),)", expect: .refused(.notALiteral)),
        SafereprCase("decimal", kwargs: false, repr: "(Decimal('1.50'),)", expect: .refused(.notALiteral)),
        SafereprCase("uuid", kwargs: false, repr: "(UUID('00000000-0000-0000-0000-000000000005'),)", expect: .refused(.notALiteral)),
        SafereprCase("set", kwargs: false, repr: "({1, 2},)", expect: .refused(.notALiteral)),
        SafereprCase("empty set", kwargs: false, repr: "(set(),)", expect: .refused(.notALiteral)),
        SafereprCase("frozenset", kwargs: false, repr: "(frozenset({3}),)", expect: .refused(.notALiteral)),
        SafereprCase("bytes", kwargs: false, repr: "(b'abc',)", expect: .refused(.notALiteral)),
        SafereprCase("complex", kwargs: false, repr: "((1+2j),)", expect: .refused(.malformed)),
        SafereprCase("inf", kwargs: false, repr: "(inf,)", expect: .refused(.notALiteral)),
        SafereprCase("nan", kwargs: false, repr: "(nan,)", expect: .refused(.notALiteral)),
        SafereprCase("object", kwargs: false, repr: "(<class 'object'>,)", expect: .refused(.notALiteral)),
        SafereprCase("float key", kwargs: false, repr: "({1.5: 2},)", expect: .refused(.notALiteral)),
        SafereprCase("quote before comma", kwargs: false, repr: "('x\\', y',)", expect: .refused(.ambiguous)),
        SafereprCase("trailing backslash", kwargs: false, repr: "('ends\\', 'next')", expect: .refused(.ambiguous)),
        SafereprCase("spec kwargs", kwargs: true, repr: "{'k_int': 7, 'k_str': 'hello \"world\"', 'k_nested': {'a': [1, 2, {...}], 'c': True}, 'k_float': 1.5}", expect: .refused(.depthElided)),
        SafereprCase("flat kwargs", kwargs: true, repr: "{'fail': True, 'n': {'x': [1, {...}]}, 's': 'it\\'s'}", expect: .refused(.depthElided)),
        SafereprCase("empty kwargs", kwargs: true, repr: "{}", expect: .json("{}")),
        SafereprCase("kwargs long list", kwargs: true, repr: "{'items': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224..., ...]}", expect: .refused(.truncated)),
    ]

    static func kind(_ refusal: PythonLiteral.Refusal) -> Kind {
        switch refusal {
        case .truncated: .truncated
        case .depthElided: .depthElided
        case .notALiteral: .notALiteral
        case .ambiguous: .ambiguous
        case .malformed: .malformed
        }
    }

    @Test(arguments: cases) func celerySafereprTable(_ item: SafereprCase) {
        let result: Result<String, PythonLiteral.Refusal>
        do {
            result = .success(item.kwargs ? try PythonLiteral.kwargsJSON(item.repr) : try PythonLiteral.argsJSON(item.repr))
        } catch {
            result = .failure(error)
        }
        switch (item.expect, result) {
        case (.json(let expected), .success(let json)):
            #expect(json == expected, "\(item.label)")
        case (.refused(let expected), .failure(let refusal)):
            #expect(Self.kind(refusal) == expected, "\(item.label): \(refusal)")
        case (.json, .failure(let refusal)):
            Issue.record("\(item.label): refused \(refusal), expected JSON")
        case (.refused, .success(let json)):
            Issue.record("\(item.label): accepted as \(json), expected a refusal")
        }
    }

    @Test func specExamples() throws {
        #expect(try PythonLiteral.argsJSON("(1, 'two', [3, [4, 5]], {'six': 6})") == #"[1,"two",[3,[4,5]],{"six":6}]"#)
        let kwargs = "{'k_int': 7, 'k_str': 'hello \"world\"', 'k_nested': {'a': [1, 2, {...}], 'c': True}, 'k_float': 1.5}"
        #expect(throws: PythonLiteral.Refusal.depthElided) { try PythonLiteral.kwargsJSON(kwargs) }
        #expect(try PythonLiteral.kwargsJSON("{'k_int': 7, 'k_str': 'hello \"world\"', 'k_float': 1.5}")
            == #"{"k_int":7,"k_str":"hello \"world\"","k_float":1.5}"#)
    }

    @Test func truncatedReprsOf1031CharactersAreRefused() {
        // `docs/celery-wire.md`, "Event batches and fields": a 2000-char arg gave `args` of length 1031 ending in `...',)`.
        let args = "('" + String(repeating: "a", count: 1023) + "...',)"
        #expect(args.count == 1031)
        #expect(throws: PythonLiteral.Refusal.truncated) { try PythonLiteral.argsJSON(args) }
        // A 500-element list gave length 1031 ending in `..., 224, , ...]}`-like text.
        let list = "{'items': [" + (0..<224).map(String.init).joined(separator: ", ") + ", ...]}"
        #expect(throws: PythonLiteral.Refusal.truncated) { try PythonLiteral.kwargsJSON(list) }
        #expect(throws: PythonLiteral.Refusal.truncated) { try PythonLiteral.argsJSON("(12345...,)") }
        #expect(throws: PythonLiteral.Refusal.truncated) { try PythonLiteral.argsJSON("(1, 2, ...)") }
    }

    @Test func completeLongReprsAreAccepted() throws {
        let long = "('" + String(repeating: "é", count: 1010) + "',)"
        #expect(try PythonLiteral.argsJSON(long) == "[\"" + String(repeating: "é", count: 1010) + "\"]")
    }

    @Test func elidedLevels() {
        for repr in ["([...],)", "({...},)", "((...),)", "((...,),)", "[1, [2, [...]]]"] {
            #expect(throws: PythonLiteral.Refusal.depthElided, "\(repr)") { try PythonLiteral.argsJSON(repr) }
        }
    }

    @Test func stringsFollowSafereprRulesNotPythonRepr() throws {
        // saferepr escapes only the quote; a backslash is itself.
        #expect(try PythonLiteral.parse(#"'a\b\n'"#) == #""a\\b\\n""#)
        #expect(try PythonLiteral.parse(#"'it\'s'"#) == #""it's""#)
        // Unicode escapes are not decoded: saferepr never writes them, so `\u00e9` is text.
        #expect(try PythonLiteral.parse(#"'\u00e9'"#) == #""\\u00e9""#)
        #expect(try PythonLiteral.parse("'tab\there'") == #""tab\there""#)
        #expect(try PythonLiteral.parse("'\u{1}'") == #""\u0001""#)
        #expect(throws: PythonLiteral.Refusal.self) { try PythonLiteral.parse(#""double""#) }
        #expect(throws: PythonLiteral.Refusal.self) { try PythonLiteral.parse("'unterminated") }
    }

    @Test func refusesWhatIsNotAPlainLiteral() {
        let refused = [
            "(datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),)", "({1, 2},)", "(set(),)", "(b'x',)",
            "(Decimal('1.5'),)", "(<object object at 0x7f>,)", "(1+2j,)", "(-inf,)", "(nan,)", "(01,)", "(1_000,)",
            "(1, 2", "(1 2)", "(,)", "x", "", "(1, 2))", "({'a': 1, 'a': 2},)", "({1: 'x', '1': 'y'},)",
            "(Fraction(1, 3),)", "(1/3,)",
        ]
        for repr in refused {
            #expect(throws: PythonLiteral.Refusal.self, "\(repr)") { try PythonLiteral.argsJSON(repr) }
        }
    }

    @Test func argsMustBeASequenceAndKwargsADict() throws {
        #expect(throws: PythonLiteral.Refusal.self) { try PythonLiteral.argsJSON("{'a': 1}") }
        #expect(throws: PythonLiteral.Refusal.self) { try PythonLiteral.kwargsJSON("(1,)") }
        #expect(try PythonLiteral.argsJSON("[1, 2]") == "[1,2]")
        #expect(try PythonLiteral.argsJSON("( 1 , )") == "[1]")
        #expect(try PythonLiteral.kwargsJSON("{}") == "{}")
    }

    @Test func numbersKeepTheirText() throws {
        #expect(try PythonLiteral.parse("-0.0") == "-0.0")
        #expect(try PythonLiteral.parse("1e+20") == "1e+20")
        #expect(try PythonLiteral.parse("2.5e-07") == "2.5e-07")
        #expect(try PythonLiteral.parse("123456789012345678901234567890") == "123456789012345678901234567890")
        #expect(try PythonLiteral.parse("+5") == "5")
        #expect(try PythonLiteral.parse("0") == "0")
    }

    @Test func deepNestingIsBounded() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: PythonLiteral.Refusal.self) { try PythonLiteral.parse(deep) }
    }

    @Test func refusalsExplainThemselves() {
        #expect(PythonLiteral.Refusal.truncated.description.contains("truncated"))
        #expect(PythonLiteral.Refusal.depthElided.description.contains("task_repr_maxlevels"))
        #expect(PythonLiteral.Refusal.notALiteral("a set").description.contains("a set"))
    }
}
