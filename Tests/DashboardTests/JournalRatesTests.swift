import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// The Rates pane's 24 h view (`H`): the journal's per-minute counts bucketed to the sparkline width.
@Suite struct JournalRatesTests {
    /// A day of the fixture's names as a recorder would have journaled it: quiet, then a storm of
    /// `fetch_api_data` retries between 8 and 6 hours ago, and a nightly name the live events never show.
    static func nightAndDay(endingAt now: Double) -> JournalRates {
        let first = JournalRates.firstMinute(endingAt: now)
        var cells: [RateCell] = []
        for offset in stride(from: 0, to: JournalRates.windowMinutes, by: 5) {
            let minute = first + offset
            let storming = offset >= 16 * 60 && offset < 18 * 60
            cells.append(RateCell(
                key: RateCell.Key(name: "tasks.fetch_api_data", minute: minute), received: 40, succeeded: storming ? 5 : 38,
                retried: storming ? 30 + offset % 7 : 2, failed: storming ? 5 : 0))
            cells.append(RateCell(key: RateCell.Key(name: "tasks.quick_retry", minute: minute), received: 10, succeeded: 9, retried: 1))
            if offset % 60 == 0 {
                cells.append(RateCell(key: RateCell.Key(name: "tasks.nightly_export", minute: minute), received: 1, retried: offset < 6 * 60 ? 3 : 0))
            }
        }
        return JournalRates(cells)
    }

    @Test func everyMinuteOfTheDayLandsInExactlyOneBucketOldestFirst() {
        let now = 1_795_696_000.0 + 59  // 59 s into a minute
        let first = JournalRates.firstMinute(endingAt: now)
        #expect(first == RateCell.minute(of: now) - 1_439)
        // One retry in every minute of the window, and some outside it on both sides.
        var cells = (0..<JournalRates.windowMinutes).map { RateCell(key: RateCell.Key(name: "a", minute: first + $0), retried: 1) }
        cells.append(RateCell(key: RateCell.Key(name: "a", minute: first - 1), retried: 100))
        cells.append(RateCell(key: RateCell.Key(name: "a", minute: first + JournalRates.windowMinutes), retried: 100))
        let rates = JournalRates(cells)
        for buckets in [1, 7, 15, 24, 60, 100, 1_440, 2_000] {
            let history = rates.history(.retried, name: "a", buckets: buckets, endingAt: now)
            #expect(history.count == buckets)
            #expect(history.reduce(0, +) == 1_440, "\(buckets) buckets hold the whole day, nothing from outside it")
            let filled = history.filter { $0 > 0 }
            #expect((filled.max() ?? 0) - (filled.min() ?? 0) <= 1, "\(buckets) buckets differ by at most a minute: \(history)")
        }
        #expect(rates.history(.retried, name: "a", buckets: 24, endingAt: now) == Array(repeating: 60, count: 24))
        #expect(rates.history(.retried, name: "a", buckets: 0, endingAt: now) == [])
        #expect(rates.history(.retried, name: "unknown", buckets: 3, endingAt: now) == [0, 0, 0])
        #expect(rates.total(.retried, endingAt: now) == 1_440)
    }

    @Test func theBucketOfAMinuteFollowsItsPlaceInTheDay() {
        let now = 1_795_696_000.0
        let first = JournalRates.firstMinute(endingAt: now)
        let rates = JournalRates([
            RateCell(key: RateCell.Key(name: "a", minute: first), received: 1, succeeded: 2, retried: 3, failed: 4),
            RateCell(key: RateCell.Key(name: "a", minute: first + 720), retried: 5),
            RateCell(key: RateCell.Key(name: "a", minute: first + 1_439), failed: 6),
            RateCell(key: RateCell.Key(name: "b", minute: first + 100), retried: 7),
        ])
        #expect(rates.history(.retried, name: "a", buckets: 4, endingAt: now) == [3, 0, 5, 0])
        #expect(rates.history(.failed, name: "a", buckets: 4, endingAt: now) == [4, 0, 0, 6])
        #expect(rates.history(.received, name: "a", buckets: 2, endingAt: now) == [1, 0])
        #expect(rates.history(.retried, name: "b", buckets: 4, endingAt: now) == [7, 0, 0, 0])
        // An hour later the first minute has left the window and the rest moved one bucket in 24.
        #expect(rates.history(.retried, name: "a", buckets: 24, endingAt: now + 3_600) == Array(repeating: 0, count: 11) + [5] + Array(repeating: 0, count: 12))
        #expect(rates.total(.succeeded, endingAt: now + 3_600) == 0)
    }

    @Test func hShowsTheJournalsDayInTheRatesPaneAndBack() throws {
        var state = StormFixture.appState(width: 120, height: 36)
        let now = state.now
        _ = update(&state, .journal(JournalDelivery(rates: Self.nightAndDay(endingAt: now))))
        let live = state.paneModel(.rates, in: Rect(x: 0, y: 0, width: 118, height: 20))
        #expect(live.columns.contains { $0.title.hasPrefix("LAST 15m") })
        #expect(!live.rows.contains { $0.cells.first?.text == "nightly_export" })

        _ = update(&state, .key(.char("H")))
        #expect(state.ratesFromJournal && state.focusedPane == .rates)
        let day = state.paneModel(.rates, in: Rect(x: 0, y: 0, width: 118, height: 20))
        #expect(day.title.contains("last 24 h"))
        #expect(day.columns.contains { $0.title.hasPrefix("LAST 24h") })
        let nightly = try #require(day.rows.first { $0.cells.first?.text == "nightly_export" }, "a name only the journal has is listed")
        // The day's counts: one a hour received, three retries in each of the first six hours.
        #expect(nightly.cells.map(\.text).prefix(5) == ["nightly_export", "24", "0", "18", "0"], "\(nightly.cells)")
        let summary = day.summary.map(\.text).joined()
        #expect(summary.contains("last 24 h: "), "\(summary)")
        let rates = Self.nightAndDay(endingAt: now)
        #expect(summary.contains("\(NumberText.grouped(rates.total(.retried, endingAt: now))) retries"), "\(summary)")

        _ = update(&state, .key(.char("H")))
        #expect(!state.ratesFromJournal)
        #expect(state.paneModel(.rates, in: Rect(x: 0, y: 0, width: 118, height: 20)).columns.contains { $0.title.hasPrefix("LAST 15m") })
    }

    /// The `?` legend follows the view: in the 24 h view the count columns are the journal's day, not
    /// the last minute, and the history column is the day's.
    @Test func theLegendOfThe24HourViewSpeaksOfTheDay() {
        var state = StormFixture.appState(width: 120, height: 36)
        _ = update(&state, .journal(JournalDelivery(rates: Self.nightAndDay(endingAt: state.now))))
        _ = update(&state, .key(.char("H")))
        _ = update(&state, .key(.char("?")))
        let day = state.legendLines().map(\.text)
        #expect(day.first == "Columns of Rates, last 24 h (journal)")
        #expect(!day.contains { $0.contains("last minute") }, "\(day)")
        #expect(day.contains { $0.hasPrefix("RETRY") && $0.contains("last 24 h") }, "\(day)")
        #expect(day.contains { $0.hasPrefix("LAST 24h") }, "\(day)")
        #expect(!day.contains { $0.hasPrefix("LAST 15m") }, "\(day)")
        _ = update(&state, .key(.escape))
        _ = update(&state, .key(.char("H")))
        _ = update(&state, .key(.char("?")))
        let live = state.legendLines().map(\.text)
        #expect(live.contains { $0.hasPrefix("RETRY") && $0.contains("last minute") }, "\(live)")
        #expect(live.contains { $0.hasPrefix("LAST 15m") }, "\(live)")
    }
}
