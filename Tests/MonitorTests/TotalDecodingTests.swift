import Testing
@testable import Monitor

/// Issue 10: every number from the wire is range-checked once at decode, bad values are counted, and
/// nothing hostile traps downstream (the fold, rates, the snapshot JSON).
@Suite struct TotalDecodingTests {
    let decoder = EventDecoder()
    static let goodTime = 1_795_696_000.5
    static let id = "0b7c5a3e-4f1d-4c2b-9a8e-2d6f0e1c3b4a"

    func decodeBody(_ text: String) -> ([CeleryEvent], DecodeStats) {
        decodeBody(Array(text.utf8))
    }

    func decodeBody(_ bytes: [UInt8]) -> ([CeleryEvent], DecodeStats) {
        var events: [CeleryEvent] = []
        var stats = DecodeStats()
        decoder.decodeBody(json: bytes, into: &events, stats: &stats)
        return (events, stats)
    }

    func event(_ extra: String, type: String = "task-received", timestamp: String = "\(goodTime)") -> String {
        #"{"type": "\#(type)", "hostname": "celery@w1", "timestamp": \#(timestamp), "clock": 5, "uuid": "\#(TotalDecodingTests.id)"\#(extra)}"#
    }

    @Test(arguments: ["1e19", "-1e19", "1e308", "-1e308", "\"nan\"", "\"inf\"", "\"-inf\"", "\"1e999\"", "1", "-5", "4102444800.5"])
    func aTimestampOutsideTheWindowSkipsTheEventAndIsCounted(_ timestamp: String) {
        let (events, stats) = decodeBody(event("", timestamp: timestamp))
        #expect(events.isEmpty)
        #expect(stats.outOfRange == 1 && stats.badFields == 1)
    }

    @Test func timesAtTheEdgesOfTheWindowAreKept() {
        for timestamp in ["946684800", "4102444800", "\(TotalDecodingTests.goodTime)"] {
            let (events, stats) = decodeBody(event("", timestamp: timestamp))
            #expect(events.count == 1 && stats.outOfRange == 0, "\(timestamp)")
        }
    }

    @Test(arguments: [
        #", "eta": 1e308"#, #", "eta": -1e19"#, #", "eta": "nan""#, #", "expires": 1e19"#,
        #", "eta": "9999-12-31T23:59:59+00:00""#, #", "eta": "1970-01-01T00:00:00+00:00""#,
    ])
    func anOptionalTimeOutsideTheWindowIsDroppedAndCounted(_ field: String) {
        let (events, stats) = decodeBody(event(field))
        #expect(events.count == 1)
        #expect(events.first?.eta == nil && events.first?.expires == nil)
        #expect(stats.outOfRange == 1 && stats.malformed == 0)
    }

    @Test func negativeRetriesAreCountedNotClamped() {
        let (events, stats) = decodeBody(event(#", "retries": -5"#))
        #expect(events.count == 1)
        #expect(events.first?.retries == nil)
        #expect(stats.outOfRange == 1)
    }

    @Test(arguments: [
        #", "retries": 1e19"#, #", "retries": 2.5"#, #", "pid": -1"#, #", "pid": 1e19"#, #", "signum": 1e300"#,
        #", "signum": -15"#, #", "runtime": -1"#, #", "runtime": 1e300"#, #", "runtime": "nan""#,
    ])
    func aTaskNumberOutOfItsRangeIsDroppedAndCounted(_ field: String) {
        let (events, stats) = decodeBody(event(field, type: "task-succeeded"))
        #expect(events.count == 1)
        let event = events.first
        #expect(event?.retries == nil && event?.pid == nil && event?.signum == nil && event?.runtime == nil)
        #expect(stats.outOfRange + stats.wrongTypeFields == 1, "\(field)")
    }

    @Test func workerNumbersOutOfRangeAreDroppedAndCounted() {
        let body = #"[{"type": "worker-heartbeat", "hostname": "celery@w1", "timestamp": \#(TotalDecodingTests.goodTime), "clock": -3, "freq": 1e308, "active": -1, "processed": 1e19, "loadavg": [0.5, 1e308, -2, "nan"], "utcoffset": 1e19}]"#
        let (events, stats) = decodeBody(body)
        #expect(events.count == 1)
        let event = events.first
        #expect(event?.clock == 0 && event?.freq == nil && event?.active == nil && event?.processed == nil && event?.utcoffset == nil)
        #expect(event?.loadavg == [0.5])
        #expect(stats.outOfRange == 1)
    }

    @Test func hostileNumbersFoldAndSnapshotWithoutTrapping() {
        var state = MonitorState()
        var events: [CeleryEvent] = []
        var stats = DecodeStats()
        for timestamp in ["1e19", "-1e19", "1e308", "\"nan\"", "\(TotalDecodingTests.goodTime)"] {
            decoder.decodeBody(json: Array(event(#", "eta": 1e308, "retries": -5"#, timestamp: timestamp).utf8), into: &events, stats: &stats)
        }
        state.apply(events)
        var link = LinkStatus()
        link.decodeStats.add(stats)
        let json = SnapshotDocument.render(state, link: link, now: TotalDecodingTests.goodTime + 1)
        #expect(state.tasks.count == 1 && state.tasks[TotalDecodingTests.id]?.eta == nil)
        #expect(json.contains(#""out_of_range":5"#))
    }

    @Test func aNonObjectItemInABatchIsCountedAndTheRestDecoded() {
        let good = event("")
        let (events, stats) = decodeBody("[1, \(good), \"x\", [\(good)], null, \(good)]")
        #expect(events.count == 2)
        #expect(stats.badBatchItems == 4 && stats.malformedJSON == 0)
        #expect(stats.malformed == 4)
    }

    @Test func aBrokenItemInABatchStillCountsTheWholeMessageMalformed() {
        let (events, stats) = decodeBody("[\(event("")), {\"type\": ]")
        #expect(events.count == 1 || events.isEmpty)
        #expect(stats.malformedJSON == 1)
    }

    @Test func invalidUTF8IdsStayDistinctAndAreCounted() {
        func body(_ idBytes: [UInt8]) -> [UInt8] {
            Array(#"{"type": "task-received", "hostname": "celery@w1", "timestamp": 1795696000, "uuid": "task-"#.utf8)
                + idBytes + Array(#"", "root_id": "r"#.utf8) + idBytes + Array(#""}"#.utf8)
        }
        let (first, firstStats) = decodeBody(body([0xFF]))
        let (second, secondStats) = decodeBody(body([0xFE]))
        let (third, _) = decodeBody(body([0xEF, 0xBF, 0xBD]))  // a real U+FFFD
        let (fourth, _) = decodeBody(body(Array(#"\\xff"#.utf8)))  // the text \xff, JSON-escaped
        let keys = [first, second, third, fourth].compactMap { $0.first?.taskKey }
        #expect(keys.count == 4)
        #expect(Set(keys).count == 4)
        #expect(first.first?.taskID == #"task-\xff"#)
        #expect(first.first?.rootID == #"r\xff"#)
        #expect(firstStats.invalidUTF8IDs == 1 && secondStats.invalidUTF8IDs == 1)
    }

    @Test func jsonOutputEscapesControlAndBidiCharacters() {
        var output = ""
        JSONWriter.escape("a\u{9B}b\u{202E}c\u{7F}\u{85}\u{2028}\u{2029}\u{200E}\u{200F}\u{61C}\u{2066}\u{2069}\u{202A}\u{1}é任", into: &output)
        #expect(output == #""a\u009bb\u202ec\u007f\u0085\u2028\u2029\u200e\u200f\u061c\u2066\u2069\u202a\u0001é任""#)
        var event = CeleryEvent(kind: .taskFailed, hostname: "w\u{202E}1", timestamp: TotalDecodingTests.goodTime)
        event.taskID = "x"
        event.exception = "Error('\u{9B}31m')"
        let line = EventLine.render(event)
        #expect(!line.unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x202E })
        let (again, stats) = decodeBody(line)
        #expect(again.first?.hostname == "w\u{202E}1" && again.first?.exception == "Error('\u{9B}31m')" && stats.malformed == 0)
    }
}
