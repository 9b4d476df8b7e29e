import Dashboard
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
