@testable import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

/// What the dashboard shows of the journal (issue 14): history from it, marked, and its troubles.
@Suite struct JournalViewTests {
    static let id = "5a1e9d11-70aa-4c0e-9e11-3f2a6b0c0d01"

    @Test func aJournaledTaskOpensWithItsHistoryMarkedAsFromTheJournal() throws {
        var state = StormFixture.appState()
        let at = StormFixture.now - 3_600
        var attempts: [JournaledAttempt] = []
        for number in 1...3 {
            let begin: Double = at + Double(number) * 10
            var attempt = JournaledAttempt(number: number, worker: "w1@night", received: begin, started: begin + 1, ended: begin + 2, runtime: 1)
            attempt.outcome = number == 3 ? .failure : .retry
            attempt.exception = "ConnectionError('night \(number)')"
            if number < 3 { attempt.retryAt = begin + 10 }
            attempts.append(attempt)
        }
        let task = JournaledTask(
            id: Self.id, name: "app.nightly", state: .failure, retries: 2, firstSeen: at, lastUpdate: at + 40, attempts: attempts)
        _ = update(&state, .journal(JournalDelivery(tasks: [task], status: JournalStatus(mode: .following, path: "/j.sqlite"))))
        #expect(state.link.journal.mode == .following)
        for key in [Key.char(":")] + Self.id.prefix(8).map({ Key.char($0) }) + [Key.enter] { _ = update(&state, .key(key)) }
        let screen = Dashboard.renderFrame(state: state).plainText()
        #expect(screen.contains("Attempts 3 (all from the journal)"), "\(screen)")
        #expect(screen.contains("night 1") && screen.contains("night 3"), "\(screen)")
    }

    @Test func aJournalThatCannotBeWrittenSaysSoInTheHeaderAndTicksStillSendBatches() {
        var state = StormFixture.appState()
        var status = JournalStatus(mode: .failed, path: "/full/journal.sqlite")
        status.error = "journal /full/journal.sqlite: database or disk is full"
        status.behind = 2
        _ = update(&state, .journal(JournalDelivery(status: status)))
        let header = Dashboard.renderFrame(state: state).plainText()
        #expect(header.contains("database or disk is full"), "\(header)")
        #expect(header.contains("journal behind 2"), "\(header)")

        state.monitor.startJournalFeed()
        var w = EventBuilder()
        _ = update(&state, .events([w.received(Self.id), w.started(Self.id), w.failed(Self.id)]))
        let effects = update(&state, .tick(now: StormFixture.now + 1))
        guard case .journal(let facts)? = effects.first else {
            Issue.record("a tick with journal changes hands them over as an effect: \(effects)")
            return
        }
        #expect(facts.taskCount == 1, "the facts carry the record; the rows are built on the writer's thread")
        #expect(facts.batch().tasks.map(\.id) == [Self.id])
        let later = update(&state, .tick(now: StormFixture.now + 2))
        #expect(!later.contains { if case .journal = $0 { true } else { false } }, "nothing new, no journal effect: \(later)")
    }
}
