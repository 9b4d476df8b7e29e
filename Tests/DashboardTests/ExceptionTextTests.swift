@testable import Dashboard
import Firehose
import Testing

/// Exception reprs shortened for narrow columns, found by bytes (the boilerplate search runs for every
/// row with an error in every frame).
@Suite struct ExceptionTextTests {
    @Test func briefDropsTheURLAndTheBoilerplate() {
        #expect(ExceptionText.brief("HTTPError('429 Client Error: Too Many Requests for url: http://x/data')") == "HTTPError: 429 Too Many Requests")
        #expect(ExceptionText.brief("HTTPError('503 Server Error: Service Unavailable')") == "HTTPError: 503 Service Unavailable")
        #expect(ExceptionText.brief("Retry in 4s: Timeout('read timed out (30s)')") == "Timeout: read timed out (30s)")
        #expect(ExceptionText.brief(nil) == "")
        #expect(ExceptionText.brief("ValueError('')") == "ValueError")
        #expect(ExceptionText.brief("KeyError(\"'") == "KeyError(\"'")
    }

    @Test func textBeforeTheBoilerplateMayBeAnyUnicode() {
        // Multi-byte and combined characters before, between and after what is removed.
        #expect(ExceptionText.brief("Fehler('Zürich 👩‍👩‍👧 500 Server Error: é\u{301}chec for url: https://ü/')") == "Fehler: Zürich 👩‍👩‍👧 500 é\u{301}chec")
        #expect(ExceptionText.brief("E('for url: only')") == "E:")
        #expect(ExceptionText.brief("E('x for url: ')") == "E: x")
    }
}

/// ASCII texts are shortened on their bytes (`ExceptionText.ascii`); every other text on characters.
@Suite struct ExceptionTextBytePathTests {
    /// Texts built from the pieces the rules look for, in random orders and counts: the byte path gives
    /// exactly what the character path gives, for both forms.
    @Test func theBytePathAgreesWithTheCharacterPath() {
        let pieces = [
            "Retry in 4s: ", "Retry in ", "HTTPError", "(", ")", "'", "\"", ",", " ", ":", " for url: ", "Client Error: ",
            "Server Error: ", "429", "x", "for url:", "Error: ",
        ]
        var generator = SplitMix64(seed: 17)
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 9)
            let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let short = ExceptionText.ascii(text, brief: false)
            let brief = ExceptionText.ascii(text, brief: true)
            #expect(short == ExceptionText.makeShort(text), "short of \(text.debugDescription)")
            #expect(brief == ExceptionText.makeBrief(text), "brief of \(text.debugDescription)")
        }
    }

    @Test func onlyASCIITextTakesTheBytePath() {
        #expect(ExceptionText.ascii("E('x')", brief: false) == "E: x")
        #expect(ExceptionText.ascii("E('é')", brief: false) == nil)
        #expect(ExceptionText.short("E('é')") == "E: é")
        #expect(ExceptionText.ascii("", brief: true) == "")
    }
}

/// `ExceptionText` remembers its results per non-ASCII text: the same answers, and a bounded memory.
@Suite struct ExceptionTextMemoTests {
    @Test func rememberedAnswersAreTheAnswers() {
        let texts = [
            "HTTPError('429 Client Error: Too Many Requests for url: http://api/x')", "Retry in 4s: ValueError('bad')",
            "KeyError('k')", "Plain text", "X(\"quoted\",)", "Y()", "", "Zürich('é\u{301}')",
        ]
        for text in texts {
            let first = (ExceptionText.short(text), ExceptionText.brief(text))
            let again = (ExceptionText.short(text), ExceptionText.brief(text))
            #expect(first == again, "\(text)")
        }
        #expect(ExceptionText.brief("HTTPError('429 Client Error: Too Many Requests for url: http://api/x')") == "HTTPError: 429 Too Many Requests")
        #expect(ExceptionText.short("Retry in 4s: ValueError('bad')") == "ValueError: bad")
        #expect(ExceptionText.short(nil) == "" && ExceptionText.brief(nil) == "")
    }

    @Test func theMemoForgetsPastItsLimit() {
        let memo = TextMemo(limit: 3)
        var made = 0
        let upper = { (text: String) -> String in made += 1; return text.uppercased() }
        for text in ["a", "b", "a", "c", "a"] { _ = memo.value(for: text, making: upper) }
        #expect(made == 3, "a, b and c made once each")
        #expect(memo.value(for: "d", making: upper) == "D")
        #expect(made == 4)
        // Past the limit everything was forgotten: "a" is made again.
        #expect(memo.value(for: "a", making: upper) == "A")
        #expect(made == 5)
    }
}
