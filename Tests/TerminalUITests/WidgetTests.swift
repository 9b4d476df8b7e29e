import Testing
@testable import TerminalUI

@Suite("Widgets")
struct WidgetTests {
    @Test func sparklineExactGlyphs() {
        let line = Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(line.render(width: 8) == "▁▂▃▄▅▆▇█")
        #expect(line.render(width: 3) == "▆▇█")
        #expect(Sparkline(values: [1, 7]).render(width: 4) == "  ▂█")
        #expect(Sparkline(values: [0, 0, 0]).render(width: 3) == "▁▁▁")
        #expect(Sparkline(values: [5, 10], maximum: 20).render(width: 2) == "▃▅")
        #expect(Sparkline(values: [0, 4, 8]).render(width: 3, glyphs: .ascii) == ".+@")
    }

    @Test func progressBarEighthBlocks() {
        #expect(ProgressBar(fraction: 0.625).render(width: 6) == "▕██▌ ▏")
        #expect(ProgressBar(fraction: 0).render(width: 6) == "▕    ▏")
        #expect(ProgressBar(fraction: 1).render(width: 6) == "▕████▏")
        #expect(ProgressBar(fraction: 2).render(width: 6) == "▕████▏")
        #expect(ProgressBar(fraction: 1.0 / 32).render(width: 6) == "▕▏   ▏")
        #expect(ProgressBar(fraction: 0.5).render(width: 5) == "▕█▌ ▏")
        #expect(ProgressBar(fraction: 0.5).render(width: 6, glyphs: .ascii) == "[##  ]")
        #expect(ProgressBar(fraction: .nan).render(width: 4) == "▕  ▏")
        #expect(ProgressBar(fraction: 0.5).render(width: 2) == "█ ")
    }

    @Test func boxWithTitles() {
        var grid = Grid(width: 24, height: 4)
        grid.render(Box(title: "Retrying 2,318", rightTitle: "1/5", isFocused: true), in: grid.area)
        #expect(grid.plainText() == """
        ┌ Retrying 2,318 ─ 1/5 ┐
        │                      │
        │                      │
        └──────────────────────┘
        """)
        #expect(grid.styleSummary() == "styles: bold+fg=cyan")
        #expect(Box().inner(of: grid.area) == Rect(x: 1, y: 1, width: 22, height: 2))
    }

    @Test func boxTruncatesTitlesAndAsciiGlyphs() {
        var grid = Grid(width: 14, height: 3, glyphs: .ascii)
        grid.render(Box(title: "Failed for good 377", rightTitle: "gone"), in: grid.area)
        #expect(grid.plainText() == """
        + Failed f~ -+
        |            |
        +------------+
        """)
    }

    @Test func keyHintsDropWholeHints() {
        var grid = Grid(width: 30, height: 1)
        let hints = KeyHints([KeyHint("Tab", "pane"), KeyHint("Enter", "detail"), KeyHint("q", "quit"), KeyHint("?", "help")])
        grid.render(hints, in: grid.area)
        #expect(grid.plainText() == "Tab pane  Enter detail  q quit")
        #expect(grid[0, 0].style.isBold && !grid[4, 0].style.isBold)
        var narrow = Grid(width: 20, height: 1)
        narrow.render(hints, in: narrow.area)
        #expect(narrow.plainText() == "Tab pane")
    }

    @Test func statusLineKeepsRightSide() {
        var grid = Grid(width: 30, height: 1)
        grid.render(StatusLine(left: [Span("retrytop", style: Style(bold: true)), " redis://localhost:6379/0"], right: ["15:04:31 UTC"]), in: grid.area)
        #expect(grid.plainText() == "retrytop redis:/… 15:04:31 UTC")
    }

    @Test func bannerFillsTheRow() {
        var grid = Grid(width: 12, height: 1)
        grid.render(Banner("⚠ STORM", alignment: .center), in: grid.area)
        #expect(grid.plainText() == "  ⚠ STORM")
        #expect(grid[11, 0].style.background == .red)
    }

    @Test func textViewWrapsAndScrolls() {
        #expect(TextView.wrap("requests.exceptions.HTTPError: 429 Client Error", width: 16)
            == ["requests.excepti", "ons.HTTPError:", "429 Client Error"])
        #expect(TextView.wrap("  File \"x.py\", line 38", width: 12) == ["  File", "\"x.py\", line", "38"])
        let view = TextView(lines: ["one", "two three four", "five"], offset: 10, wraps: true)
        var grid = Grid(width: 6, height: 3)
        grid.render(view, in: grid.area)
        #expect(view.visualLineCount(width: 6) == 5)
        #expect(view.clampedOffset(width: 6, height: 3) == 2)
        #expect(grid.plainText() == "three\nfour\nfive")
        var clipped = Grid(width: 6, height: 2)
        clipped.render(TextView(lines: ["one", "two three four"], wraps: false), in: clipped.area)
        #expect(clipped.plainText() == "one\ntwo th")
    }

    @Test func dialogIsCentred() {
        var grid = Grid(width: 40, height: 11)
        grid.fill(grid.area, with: ".")
        let dialog = Dialog(title: "Revoke", message: ["Revoke 3 tasks?"], isDangerous: true)
        let frame = dialog.frame(in: grid.area)
        #expect(frame == Rect(x: 5, y: 3, width: 30, height: 5))
        grid.render(dialog, in: grid.area)
        #expect(grid.plainText() == """
        ........................................
        ........................................
        ........................................
        .....┌ Revoke ────────────────────┐.....
        .....│ Revoke 3 tasks?            │.....
        .....│                            │.....
        .....│ y confirm  n/Esc cancel    │.....
        .....└────────────────────────────┘.....
        ........................................
        ........................................
        ........................................
        """)
        #expect(grid.styleSummary() == "styles: bold, bold+fg=red")
    }

    @Test func dialogWrapsLongMessagesInNarrowAreas() {
        let dialog = Dialog(title: "Requeue", message: ["Requeue tasks.fetch_api_data with the same arguments now?"])
        let frame = dialog.frame(in: Rect(x: 0, y: 0, width: 30, height: 20))
        #expect(frame.width == 30)
        #expect(frame.height == 3 + 4)
        #expect(frame.y == (20 - 7) / 2)
    }
}
