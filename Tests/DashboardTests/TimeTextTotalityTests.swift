@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// Issue 10: the dashboard's time formatting is total: no Double, however large or not a number, traps.
@Suite struct TimeTextTotalityTests {
    static let hostile: [Double] = [1e19, -1e19, 1e308, -1e308, .infinity, -.infinity, .nan, 9.3e18, -9.3e18, 0, 1_795_696_000]

    @Test func everyFormatterAcceptsEveryDouble() {
        for value in TimeTextTotalityTests.hostile {
            #expect(!TimeText.clock(value).isEmpty)
            #expect(!TimeText.clockMillis(value).isEmpty)
            #expect(!TimeText.countdown(to: value, now: 1_795_696_000).isEmpty)
            #expect(!TimeText.countdown(to: 1_795_696_000, now: value).isEmpty)
            #expect(!TimeText.elapsed(since: value, now: 1_795_696_000).isEmpty)
            #expect(!TimeText.span(value).isEmpty)
            #expect(!TimeText.age(value).isEmpty)
            #expect(!NumberText.percent(value).isEmpty)
            #expect(!NumberText.compact(value).isEmpty)
        }
    }

    @Test func outOfRangeTimesReadAsSuch() {
        #expect(TimeText.clock(1e308) == "--:--:--")
        #expect(TimeText.clock(.nan) == "--:--:--")
        #expect(TimeText.clockMillis(-1e19) == "--:--:--.---")
        #expect(TimeText.clock(1_795_696_000) == "12:26:40")
        #expect(TimeText.countdown(to: 1e308, now: 0) == TimeText.duration(seconds: Int.max))
        #expect(NumberText.compact(1e300) == "1e+300")
    }

    @Test func aTaskWithAnEtaOf1e308OpensInTheDetailView() throws {
        var state = StormFixture.appState()
        var builder = EventBuilder(worker: "celery@api-1", time: StormFixture.now - 1)
        let id = "00000000-0000-4000-8000-0000000000e7"
        _ = update(&state, .events([
            builder.received(id, name: "tasks.fetch_api_data"), builder.started(id), builder.retried(id),
            builder.received(id, name: "tasks.fetch_api_data", retries: 1, eta: 1e308),
            builder.make(.taskSent, id) { $0.retries = 1; $0.eta = 1e308; $0.expires = -1e19 },
        ]))
        _ = update(&state, .key(.char(":")))
        for ch in id { _ = update(&state, .key(.char(ch))) }
        _ = update(&state, .key(.enter))
        let screen = Dashboard.renderFrame(state: state).plainText()
        #expect(screen.contains(String(id.prefix(20))))
    }
}
