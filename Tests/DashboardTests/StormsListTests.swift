@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// The banner's "+N more" storms open as a list: `!` shows only the storming names in the Rates pane.
@Suite("Storms list")
struct StormsListTests {
    typealias Fixture = StormFixture

    /// The storm fixture plus a second name that retried 20 times in the last minute (no baseline).
    static func twoStorms() -> AppState {
        var state = Fixture.appState()
        var builder = EventBuilder(worker: "celery@api-1", time: Fixture.now - 40)
        var events: [CeleryEvent] = []
        for index in 0..<20 {
            let id = "second-storm-\(index)"
            events.append(builder.received(id, name: "tasks.second_storm"))
            events.append(builder.started(id))
            events.append(builder.retried(id, "HTTPError('502 Bad Gateway')", after: 0.5))
        }
        _ = update(&state, .events(events))
        _ = update(&state, .tick(now: Fixture.now))
        return state
    }

    static func rateRows(_ state: AppState) -> [String] {
        state.rankedList(.rates).window(cursor: state.cursor(.rates), bodyRows: 100).ids
    }

    @Test func theBannerSaysHowToListTheOtherStormsAndBangListsThemWorstFirst() {
        var state = Self.twoStorms()
        let alerts = state.stormAlerts.map(\.name)
        #expect(alerts == ["tasks.fetch_api_data", "tasks.second_storm"], "\(alerts)")
        #expect(Dashboard.renderFrame(state: state).plainText().contains("+1 more (! lists)"))
        let everyName = Self.rateRows(state)
        #expect(everyName.count > 2)

        _ = update(&state, .key(.char("!")))
        #expect(state.stormsOnly && state.focusedPane == .rates)
        #expect(Self.rateRows(state) == alerts, "only the storming names, in the banner's order")
        let screen = Dashboard.renderFrame(state: state).plainText()
        #expect(screen.contains("Storms 2") && screen.contains("! every name"), "\(screen)")

        _ = update(&state, .key(.char("!")))
        #expect(!state.stormsOnly)
        #expect(Set(Self.rateRows(state)) == Set(everyName))
    }

    @Test func withNoStormTheListSaysSoInsteadOfLookingEmpty() {
        var state = Fixture.appState()
        _ = update(&state, .tick(now: Fixture.now + 3_600))  // an hour later: nothing retried in the last minute
        _ = update(&state, .key(.char("!")))
        #expect(state.stormAlerts.isEmpty && Self.rateRows(state).isEmpty)
        #expect(Dashboard.renderFrame(state: state).plainText().contains("No name is storming now"))
    }
}
