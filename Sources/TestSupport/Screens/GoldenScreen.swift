import Foundation
import TerminalUI

/// Compares rendered screens with the golden files in `Screens/`, or re-records them on request.
///
/// A golden file is `Grid.plainText()` followed by `Grid.styleRuns()` (each style's runs per row, so a
/// highlight in the wrong place fails). Re-recording
/// is explicit: with `RETRYTOP_RECORD_SCREENS=1` every checked screen is written and `check` reports a
/// failure anyway, so a recording run never passes and nobody blesses a screen silently.
public enum GoldenScreen {
    public static var directory: URL { RepoPaths.root.appendingPathComponent("Screens") }

    public static var isRecording: Bool {
        ProcessInfo.processInfo.environment["RETRYTOP_RECORD_SCREENS"] == "1"
    }

    /// The file text for a grid.
    public static func text(of grid: Grid) -> String {
        grid.plainText() + "\n" + grid.styleRuns() + "\n"
    }

    /// The screen text of a golden file, without its style section (for the README's embedded screens).
    public static func screenText(ofFile text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let end = lines.firstIndex { $0.hasPrefix("styles") } ?? lines.endIndex
        return lines[..<end].joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    /// nil when `grid` matches `Screens/<name>.txt`; otherwise a message with a line diff (or the
    /// note that the file was recorded).
    public static func check(_ grid: Grid, named name: String) -> String? {
        let url = directory.appendingPathComponent("\(name).txt")
        let actual = text(of: grid)
        if isRecording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                return "could not record \(url.path): \(error)"
            }
            return "recorded Screens/\(name).txt (RETRYTOP_RECORD_SCREENS=1 always fails; rerun without it)"
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "missing Screens/\(name).txt; record with RETRYTOP_RECORD_SCREENS=1\n" + actual
        }
        guard expected != actual else { return nil }
        return "Screens/\(name).txt differs (- expected, + actual):\n" + diff(expected, actual)
    }

    /// A line diff: changed lines as `-`/`+` pairs with their line numbers.
    public static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : nil
            let right = index < b.count ? String(b[index]) : nil
            guard left != right else { continue }
            if let left { out.append(String(format: "-%3d|%@", index + 1, left)) }
            if let right { out.append(String(format: "+%3d|%@", index + 1, right)) }
        }
        return out.joined(separator: "\n")
    }

    /// Writes `Screens/README.md` listing the screens with their sizes and what each shows.
    public static func recordIndex(_ entries: [(name: String, size: String, about: String)]) -> String? {
        guard isRecording else { return nil }
        var text = "# Golden screens\n\n"
        text += "Plain-text captures of every retrytop screen, rendered from the deterministic storm fixture "
        text += "(`Sources/TestSupport/Screens/StormFixture.swift`) at a fixed size and clock (12:41:40 UTC). "
        text += "After the text, each file lists where every style is: per row, runs of columns (from 1) and their style.\n\n"
        text += "`swift test --filter DashboardTests` re-renders and compares them; a mismatch prints a line diff. "
        text += "To re-record: `RETRYTOP_RECORD_SCREENS=1 swift test --filter GoldenScreens` (that run fails on purpose), "
        text += "then review `git diff Screens/` and rerun without the variable.\n\n"
        text += "| screen | size | shows |\n|---|---|---|\n"
        for entry in entries { text += "| [\(entry.name)](\(entry.name).txt) | \(entry.size) | \(entry.about) |\n" }
        do {
            try text.write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        } catch {
            return "could not write Screens/README.md: \(error)"
        }
        return "recorded Screens/README.md"
    }
}
