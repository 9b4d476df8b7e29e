@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// An unknown qualifier (`foo:bar`) is an error the user sees, never a silently empty list.
@Suite("FilterQualifier")
struct FilterQualifierTests {
    @Test func unknownQualifierIsReportedAndNotAppliedAsText() {
        let filter = TaskFilter(parsing: "foo:bar name:fetch")
        #expect(filter.unknownQualifiers == ["foo"])
        #expect(filter.terms == [TaskFilter.Term(field: .name, text: "fetch", negated: false)])
        #expect(TaskFilter(parsing: "!Bogus:x").unknownQualifiers == ["bogus"])
        #expect(TaskFilter(parsing: "worker:celery@api-1 exc:HTTPError('429").unknownQualifiers.isEmpty)
    }

    @Test func enterOnAnUnknownQualifierKeepsTheInputOpenWithTheError() {
        var state = StormFixture.appState()
        let before = state.rankedList(.retrying).count
        _ = update(&state, .key(.char("/")))
        for character in "foo:bar" { _ = update(&state, .key(.char(character))) }
        _ = update(&state, .key(.enter))
        #expect(state.mode == .filter(draft: "foo:bar", previous: ""))
        #expect(state.rankedList(.retrying).count == before, "the unknown term must not empty the list")
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("unknown qualifier foo:"), "\(text)")
        // Fixing it applies the filter.
        for _ in 0..<"foo:bar".count { _ = update(&state, .key(.backspace)) }
        for character in "name:fetch" { _ = update(&state, .key(.char(character))) }
        _ = update(&state, .key(.enter))
        #expect(state.mode == .normal)
        #expect(state.filterText == "name:fetch")
    }
}
