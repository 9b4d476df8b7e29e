import Foundation
import Monitor
import Testing

/// Gap bookkeeping in the model: one open window, the bound, the disconnect's start, the hour count.
@Suite struct ConnectionGapTests {
    @Test func aStallThatEndsInAReconnectIsOneWindow() {
        var connection = ConnectionState(phase: .connected)
        connection.openGap(from: 100, reason: ConnectionState.stalledReason)
        connection.openGap(from: 112, reason: "connection closed by the server")
        #expect(connection.gaps == [.init(from: 100, to: nil, reason: "stalled")])
        connection.closeGap(at: 130)
        #expect(connection.gaps == [.init(from: 100, to: 130, reason: "stalled")])
        #expect(connection.openGap == nil)
        connection.closeGap(at: 140)
        #expect(connection.gaps.last?.to == 130, "closing with none open changes nothing")
    }

    @Test func gapsAreBounded() {
        var connection = ConnectionState()
        for index in 0..<(ConnectionState.maxGaps + 7) {
            connection.openGap(from: Double(index * 10), reason: "r\(index)")
            connection.closeGap(at: Double(index * 10 + 1))
        }
        #expect(connection.gaps.count == ConnectionState.maxGaps)
        #expect(connection.gaps.first?.reason == "r7")
    }

    @Test func aSlowConsumerWindowStartsAtTheLastEventRead() {
        // Redis dropped the reader at 200; the last event it delivered was sent at 150.4; the last PONG
        // proved delivery up to 149.
        #expect(ConnectionState.disconnectGapStart(disconnectAt: 200, caughtUpAt: 149, lastEventAt: 150.4) == 150.4)
        // An idle channel: the PONG is later than the last event.
        #expect(ConnectionState.disconnectGapStart(disconnectAt: 200, caughtUpAt: 199, lastEventAt: 20) == 199)
        // A sender clock running ahead never puts the start after the disconnect.
        #expect(ConnectionState.disconnectGapStart(disconnectAt: 200, caughtUpAt: 190, lastEventAt: 260) == 200)
        #expect(ConnectionState.disconnectGapStart(disconnectAt: 200, caughtUpAt: nil, lastEventAt: .nan) == 200)
    }

    @Test func countsWindowsOfTheLastHour() {
        let now = 10_000.0
        let connection = ConnectionState(gaps: [
            .init(from: 1_000, to: 1_010, reason: "old"),
            .init(from: now - 3_700, to: now - 3_590, reason: "ended inside the hour"),
            .init(from: now - 60, to: now - 40, reason: "recent"),
            .init(from: now - 5, to: nil, reason: "open"),
        ])
        #expect(connection.gapsInLastHour(now: now) == 3)
        #expect(connection.gaps(overlapping: now - 50, now - 45, now: now).map(\.reason) == ["recent"])
        #expect(connection.gaps(overlapping: now - 1, now - 1, now: now).map(\.reason) == ["open"])
        #expect(connection.gaps(overlapping: 2_000, 3_000, now: now).isEmpty)
    }

    @Test func theSnapshotListsGapsAndTheHourCount() throws {
        let state = MonitorState()
        let now = 10_000.0
        let link = LinkStatus(connection: ConnectionState(phase: .stalled, since: now - 4, gaps: [
            .init(from: 1_000, to: 1_020.5, reason: "connection closed by the server"),
            .init(from: now - 4, to: nil, reason: ConnectionState.stalledReason),
        ]))
        let text = SnapshotDocument.render(state, link: link, now: now)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let connection = try #require(object["connection"] as? [String: Any])
        #expect(connection["phase"] as? String == "stalled")
        #expect(connection["gaps_last_hour"] as? Int == 1)
        let gaps = try #require(connection["gaps"] as? [[String: Any]])
        #expect(gaps.count == 2)
        #expect(gaps[0]["from"] as? Double == 1_000 && gaps[0]["to"] as? Double == 1_020.5)
        #expect(gaps[1]["reason"] as? String == "stalled" && gaps[1]["to"] is NSNull)
    }
}
