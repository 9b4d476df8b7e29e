import Dashboard
import Foundation
import Testing
import TestSupport

/// The README's key list and embedded screens come from the key table and `Screens/`; they must not drift.
///
/// `RETRYTOP_RECORD_README=1` rewrites the generated sections and fails that run, like the golden screens.
@Suite struct ReadmeTests {
    static let readme = RepoPaths.root.appendingPathComponent("README.md")

    /// Replaces the text between `open` and `close` markers with `content`.
    static func replacing(_ text: String, open: String, close: String, with content: String) throws -> String {
        let start = try #require(text.range(of: open), "README lacks \(open)")
        let end = try #require(text.range(of: close, range: start.upperBound..<text.endIndex), "README lacks \(close)")
        return text.replacingCharacters(in: start.upperBound..<end.lowerBound, with: "\n" + content + "\n")
    }

    static func generated(from text: String) throws -> String {
        var result = try replacing(text, open: "<!-- keys -->", close: "<!-- /keys -->", with: Keymap.markdownTable().trimmingCharacters(in: .newlines))
        for screen in ["overview-storm-120x36", "task-detail"] {
            let file = RepoPaths.root.appendingPathComponent("Screens/\(screen).txt")
            let body = GoldenScreen.screenText(ofFile: try String(contentsOf: file, encoding: .utf8))
            result = try replacing(result, open: "<!-- screen:\(screen) -->", close: "<!-- /screen -->", with: "```\n\(body)\n```")
        }
        return result
    }

    @Test func readmeKeyListAndScreensMatchTheirSources() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let expected = try Self.generated(from: text)
        if ProcessInfo.processInfo.environment["RETRYTOP_RECORD_README"] == "1" {
            try expected.write(to: Self.readme, atomically: true, encoding: .utf8)
            Issue.record("README.md re-generated; review `git diff README.md` and run again without RETRYTOP_RECORD_README")
            return
        }
        #expect(text == expected, "README.md drifted from the key table or Screens/: run with RETRYTOP_RECORD_README=1 and review the diff")
        #expect(text.contains("bash scripts/test.sh"))
    }
}
