@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// Pane view models built alone: sort markers on the right column, whole titles, the rows of a group.
@Suite("PaneModels")
struct PaneModelTests {
    typealias Fixture = StormFixture

    func send(_ state: inout AppState, _ keys: Key...) {
        for key in keys { _ = update(&state, .key(key)) }
    }

    @Test func workersSortedByHeartbeatShowTheArrowOnTheHeartbeatColumn() {
        var state = Fixture.appState()
        send(&state, .tab, .tab, .tab, .char("s"), .char("s"), .char("s"))
        #expect(state.focusedPane == .workers)
        let model = state.paneModel(.workers, in: Rect(x: 0, y: 0, width: 120, height: 10))
        #expect(model.columns.map(\.title).contains("HEARTBEAT\(state.glyphs.arrowUp)"))
    }

    @Test func sortMarkersNeverCutAColumnTitle() {
        var state = Fixture.appState()
        // Active pane, RUNNING reversed: "RUNNING↑" is wider than the 7 columns RUNNING needs.
        send(&state, .tab, .char("S"))
        let text = Dashboard.renderFrame(state: state).plainText()
        #expect(text.contains("RUNNING\(state.glyphs.arrowUp)"))
        // Workers pane by ACTIVE: "ACTIVE↑" is wider than its 6 columns.
        send(&state, .tab, .tab, .char("s"))
        #expect(Dashboard.renderFrame(state: state).plainText().contains("ACTIVE\(state.glyphs.arrowUp)"))
    }

    @Test func theTaskListOfAGroupShowsWhatEachTaskRaisedOfThatGroup() throws {
        var state = Fixture.appState()
        send(&state, .char("e"), .enter)
        guard case .groupTasks(let fingerprint) = state.screen else {
            Issue.record("Enter on the exceptions view did not open a group")
            return
        }
        let model = state.paneModel(.groupTasks, in: Rect(x: 0, y: 0, width: 120, height: 200))
        let ids = state.rankedList(.groupTasks).ranks(0..<model.rows.count)
        #expect(!model.rows.isEmpty && ids.count == model.rows.count)
        for (row, id) in zip(model.rows, ids) {
            let task = try #require(state.viewed.tasks[id])
            let raised = task.attempts.filter { $0.exception.map { ExceptionFingerprint.of($0) == fingerprint } ?? false }
            let expected = ExceptionText.brief(try #require(raised.last?.exception, "task \(id) never raised the group"))
            let texts = row.cells.map(\.text)
            #expect(texts.contains { $0.contains(expected) }, "row \(texts) does not show \(expected)")
        }
    }

    @Test func theMaximumShowsOnlyOnceATaskRetriedOrRetriesAutomatically() {
        let monitor = Fixture.monitor()
        let inputs = PaneInputs(monitor: monitor, now: Fixture.now, policies: Fixture.policies)
        var checked = (manualFirst: 0, automaticFirst: 0)
        for (_, task) in monitor.tasks {
            let number = task.attempts.last?.number ?? 1
            switch task.name {
            case "tasks.unreliable":
                #expect(inputs.attemptText(task) == (number > 1 ? "\(number)/4" : "1"))
                if number == 1 { checked.manualFirst += 1 }
            case "tasks.fetch_api_data":
                #expect(inputs.attemptText(task) == "\(number)/6")
                if number == 1 { checked.automaticFirst += 1 }
            default: break
            }
        }
        #expect(checked.manualFirst > 0 && checked.automaticFirst > 0)
        #expect(AppState.policyText(Fixture.policies["tasks.unreliable"]!).hasPrefix("manual retries (self.retry()), default max 3;"))
        #expect(AppState.policyText(Fixture.policies["tasks.fetch_api_data"]!).hasPrefix("automatic retries; max_retries=5"))
    }

    @Test func aDueAttemptThatHasNotStartedSaysHowLate() throws {
        var state = Fixture.appState()
        let id = try #require(state.rankedList(.retrying).ranks(0..<1).first)
        let due = try #require(state.viewed.tasks[id]?.nextAttemptAt)
        _ = update(&state, .tick(now: due + 6.5))
        let model = state.paneModel(.retrying, in: Rect(x: 0, y: 0, width: 120, height: 20))
        #expect(model.rows.first?.cells.first?.text == "late 6s")
    }

    @Test func workersShowTheAttemptsWaitingForAPoolSlot() {
        let state = Fixture.appState()
        let monitor = state.monitor
        let late = WorkersPane.lateAttempts(state.retryingIndex.held, now: Fixture.now + 60)
        #expect(!late.isEmpty)
        for (worker, entry) in late {
            #expect(monitor.workers[worker] != nil && entry.count > 0 && entry.latest >= 1)
        }
    }

    @Test func theRatesPaneShowsTheAttemptErrorRateBesideTheFinalFailureRate() throws {
        let state = Fixture.appState()
        let model = state.paneModel(.rates, in: Rect(x: 0, y: 0, width: 120, height: 12))
        let titles = model.columns.map(\.title)
        let err = try #require(titles.firstIndex(of: "ATT ERR%"))
        let fail = try #require(titles.firstIndex(of: "FAIL%"))
        let row = try #require(model.rows.first { $0.cells[0].text.contains("fetch_api_data") })
        let percent = { (text: String) in Double(text.dropLast()) ?? -1 }
        // Mid-storm most attempts raise while few tasks fail for good.
        #expect(percent(row.cells[err].text) > percent(row.cells[fail].text))
    }

    @Test func helpStartsWithALegendOfTheFocusedPanesColumns() {
        var state = Fixture.appState()
        send(&state, .char("?"))
        let legend = state.legendLines().map(\.text)
        #expect(legend.first == "Columns of Retrying")
        for column in RetryingPane.allColumns {
            #expect(legend.contains { $0.contains(column.meaning) })
        }
        #expect(legend.contains(PaneInputs.unknownNameMeaning))
        #expect(Dashboard.renderFrame(state: state).plainText().contains("Columns of Retrying"))
    }

    @Test func withoutColourTheFocusedPaneHasAReversedTitleAndNoColourIsUsed() throws {
        var state = Fixture.appState()
        state.theme = .monochrome
        let grid = Dashboard.renderFrame(state: state)
        let y = try #require((0..<grid.height).first { grid.line($0).contains("Retrying 23") })
        let x = try #require(Array(grid.line(y)).firstIndex(of: "R"))
        #expect(grid[x, y].style.isReverse)
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                #expect(grid[x, y].style.foreground == .default && grid[x, y].style.background == .default)
            }
        }
    }

    @Test func theExceptionsViewShowsFirstSeenTaskNamesAndWorkers() throws {
        var state = Fixture.appState()
        send(&state, .char("e"))
        let model = state.paneModel(.exceptions, in: Rect(x: 0, y: 0, width: 160, height: 20))
        let titles = model.columns.map(\.title)
        let first = try #require(titles.firstIndex(of: "FIRST"))
        let workers = try #require(titles.firstIndex(of: "WORKERS"))
        let fingerprint = try #require(state.rankedList(.exceptions).ranks(0..<1).first)
        let group = try #require(state.viewed.exceptionGroups[fingerprint])
        #expect(model.rows[0].cells[first].text == TimeText.clock(group.firstSeen))
        #expect(!group.workers.isEmpty && model.rows[0].cells[workers].text.contains(group.workers.keys.sorted()[0].prefix(6)))
    }
}
