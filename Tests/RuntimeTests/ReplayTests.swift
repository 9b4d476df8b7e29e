import Dashboard
import Foundation
import Monitor
import Runtime
import Testing
import TestSupport

/// `retrytop replay`: a recording played through the loop at a speed, to its end.
@Suite struct ReplayTests {
    static let start = 1_795_700_000.0

    /// A recording of three received tasks, 5 s apart, as `retrytop events` writes it.
    static func recording() throws -> String {
        var builder = EventBuilder(time: start)
        let events = (0..<3).map { index in builder.make(.taskReceived, "replay-\(index)", after: index == 0 ? 0 : 5) { $0.name = "app.fetch" } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-replay-\(UUID().uuidString).jsonl").path
        try Data(events.map { EventLine.render($0) + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aRecordingPlaysAtItsSpeedAndFinishesAtItsEnd() throws {
        let path = try Self.recording()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let wall = ManualClock(at: 50)
        let source = try ReplayEventSource(path: path, speed: 10, wallClock: { wall.now })
        #expect(source.eventCount == 3 && source.firstTimestamp == Self.start)
        source.start()
        var first = source.poll()
        #expect(first.events.map(\.taskID) == ["replay-0"] && !first.finished)
        #expect(first.counters.decode.messages == 3, "the recording's decode counters come with the first poll")
        wall.advance(by: 0.5)  // 5 s of recording at ×10
        first = source.poll()
        #expect(first.events.map(\.taskID) == ["replay-1"] && first.counters.decode.messages == 0 && !first.finished)
        #expect(source.currentTime == Self.start + 5)
        wall.advance(by: 0.5)
        let last = source.poll()
        #expect(last.events.map(\.taskID) == ["replay-2"] && last.finished)
    }

    @Test func theLoopLeavesAtTheEndOfARecordingWhenAsked() throws {
        let path = try Self.recording()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let wall = ManualClock()
        let source = try ReplayEventSource(path: path, speed: 4, wallClock: { wall.now })
        let terminal = TestTerminal(width: 120, height: 36)
        terminal.onWait = { wall.advance(by: Double($0) / 1_000) }
        let loop = DashboardLoop(
            state: AppState(width: 120, height: 36, readOnly: true), terminal: terminal, source: source,
            effects: EffectRunner(actions: nil), clock: { source.currentTime }, frameClock: { wall.now },
            configuration: DashboardLoop.Configuration(framesPerSecond: 20, exitWhenSourceFinishes: true),
            shouldStop: { wall.now > 60 })
        loop.run()
        // 10 s of recording at ×4: the loop leaves on the frame that folds the last event, at 2.5 s.
        #expect(wall.now >= 2.5 - 1e-6 && wall.now < 2.6, "\(wall.now)")
        #expect(loop.state.monitor.tasks.count == 3)
        #expect(loop.state.now >= Self.start + 10 - 1e-3 && loop.state.now < Self.start + 10.4)
        #expect(terminal.frames.count >= 50)
    }
}
