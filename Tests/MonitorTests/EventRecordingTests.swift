import Actions
import Foundation
import Monitor
import Testing
import TestSupport

/// Reading a `retrytop events` recording: the real r9 recording, bad lines, order, and the requeue
/// subjects it yields.
@Suite struct EventRecordingTests {
    static func r9() throws -> [UInt8] { Array(try Data(contentsOf: WireFixture.url("r9_events.jsonl"))) }

    @Test func foldsTheRecordingLikeItsEventsAppliedInTimeOrder() throws {
        let bytes = try Self.r9()
        let recording = EventRecording(bytes: bytes)
        let lines = bytes.split(separator: UInt8(ascii: "\n")).count
        #expect(recording.stats.messages == lines)
        #expect(recording.events.count == lines)
        #expect(recording.stats.malformedJSON == 0)
        #expect(zip(recording.events, recording.events.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        let state = recording.folded(limits: MonitorLimits())
        var direct = MonitorState(limits: MonitorLimits())
        direct.apply(recording.events)
        #expect(state.tasks.count == direct.tasks.count)
        #expect(state.tasks.count > 0)
        #expect(recording.link(connection: ConnectionState(phase: .stopped)).decodeStats.messages == lines)
        #expect(recording.lastTimestamp == recording.events.last?.timestamp)
        #expect(recording.firstTimestamp < recording.lastTimestamp)
    }

    @Test func badLinesAreCountedNotFatal() {
        let text = """
            {"type":"task-received","hostname":"w1@vm","timestamp":1795696020.0,"clock":2,"uuid":"b","name":"demo.add","args":"(2, 3)","kwargs":"{}","routing_key":"celery"}
            not json at all
            {"type":"task-received","hostname":"w1@vm","timestamp":1795696010.0,"clock":1,"uuid":"a","name":"demo.mul","args":"(4,)","kwargs":"{'x': 1}","routing_key":"math"}

            {"type":"task-failed","hostname":"w1@vm","timestamp":1795696021.0,"clock":3,"uuid":"b","exception":"ValueError('x')"}
            """
        let recording = EventRecording(bytes: Array(text.utf8))
        #expect(recording.stats.messages == 4)
        #expect(recording.stats.malformedJSON == 1)
        #expect(recording.events.map(\.taskID) == ["a", "b", "b"])
        let subjects = recording.requeueSubjects(limits: MonitorLimits())
        #expect(subjects["a"] == RequeueSubject(id: "a", name: "demo.mul", argsRepr: "(4,)", kwargsRepr: "{'x': 1}", queue: "math", state: .received))
        #expect(subjects["b"] == RequeueSubject(id: "b", name: "demo.add", argsRepr: "(2, 3)", kwargsRepr: "{}", queue: "celery", state: .failure))
        #expect(subjects.count == 2)
    }

    @Test func anEmptyRecordingFoldsToNothing() {
        let recording = EventRecording(bytes: [])
        #expect(recording.events.isEmpty && recording.stats.messages == 0)
        #expect(recording.lastTimestamp == 0)
        #expect(recording.requeueSubjects(limits: MonitorLimits()).isEmpty)
    }
}
