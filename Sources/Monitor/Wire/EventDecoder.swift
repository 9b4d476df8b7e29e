/// Decodes kombu envelopes (`docs/celery-wire.md`, "Envelopes") into `CeleryEvent`s, counting and skipping anything bad.
///
/// Pure and allocation-light: the envelope is scanned for `body`, `content-type` and
/// `properties.body_encoding`; a base64 body is decoded; the body is a JSON array (`task.multi`) or a
/// single object. Malformed JSON, bad base64, wrong field types, unknown event types and oversized
/// messages never throw out of here: each is counted in `DecodeStats` by kind.
public struct EventDecoder: Sendable {
    /// Messages larger than this are counted as oversized and skipped. Celery's own events are a few KB.
    public var maxMessageBytes: Int

    public init(maxMessageBytes: Int = 8 << 20) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// Decodes one pub/sub payload (a kombu envelope) and appends its events.
    public func decode(envelope: [UInt8], into events: inout [CeleryEvent], stats: inout DecodeStats) {
        envelope.withUnsafeBufferPointer { decode(envelope: $0, into: &events, stats: &stats) }
    }

    /// Decodes one pub/sub payload read in place (`RawMessage.withPayload`: no copy on the decode thread).
    public func decode(envelope buffer: UnsafeBufferPointer<UInt8>, into events: inout [CeleryEvent], stats: inout DecodeStats) {
        var scratch: [UInt8] = []
        decode(envelope: buffer, into: &events, stats: &stats, scratch: &scratch)
    }

    /// The same, decoding the base64 body into `scratch` (its storage kept from one message to the next:
    /// `IngestPipeline` passes the same one for every message).
    public func decode(
        envelope buffer: UnsafeBufferPointer<UInt8>, into events: inout [CeleryEvent], stats: inout DecodeStats, scratch: inout [UInt8]
    ) {
        stats.messages += 1
        guard buffer.count <= maxMessageBytes else {
            stats.oversized += 1
            return
        }
        let parsed: EnvelopeBody?
        do {
            parsed = try EventDecoder.scanEnvelope(buffer, scratch: &scratch)
        } catch {
            stats.malformedJSON += 1
            return
        }
        guard let parsed else {
            stats.malformedJSON += 1
            return
        }
        guard parsed.json else {
            stats.unsupportedContentType += 1
            return
        }
        let decoded: [UInt8]?
        switch parsed.body {
        case .range(let range):
            let bytes = UnsafeBufferPointer(rebasing: buffer[range])
            decoded = parsed.base64 ? Base64.decode(bytes) : Array(bytes)
        case .unescaped(let bytes):
            decoded = parsed.base64 ? Base64.decode(bytes) : bytes
        case .base64InScratch(let raw, let length):
            guard parsed.base64 else {
                decoded = Array(UnsafeBufferPointer(rebasing: buffer[raw]))
                break
            }
            scratch.withUnsafeBufferPointer { decodeBody(bytes: UnsafeBufferPointer(rebasing: $0[0..<length]), into: &events, stats: &stats) }
            return
        }
        guard let body = decoded else {
            stats.badBase64 += 1
            return
        }
        decodeBody(json: body, into: &events, stats: &stats)
    }

    /// Where an envelope's body is: a range of the envelope (the usual case) or unescaped bytes.
    struct EnvelopeBody {
        enum Bytes {
            case range(Range<Int>)
            case unescaped([UInt8])
            /// Decoded into the scratch while its closing quote was found (see `Base64.decodeQuoted`); `raw`
            /// is the string as sent, for an envelope whose `body_encoding` turns out not to be base64.
            case base64InScratch(raw: Range<Int>, length: Int)
        }

        var body: Bytes
        var base64: Bool
        var json: Bool
    }

    /// Decodes an event body: a JSON array of event objects, or one event object.
    /// Also reads the lines `retrytop events` writes, which use Celery's own field names.
    public func decodeBody(json: [UInt8], into events: inout [CeleryEvent], stats: inout DecodeStats) {
        json.withUnsafeBufferPointer { decodeBody(bytes: $0, into: &events, stats: &stats) }
    }

    /// `decodeBody(json:)` on bytes in place (a scratch's first bytes).
    func decodeBody(bytes buffer: UnsafeBufferPointer<UInt8>, into events: inout [CeleryEvent], stats: inout DecodeStats) {
        var scanner = JSONScanner(buffer)
        do {
            guard let first = scanner.peek() else { throw JSONScanError.unexpectedEnd }
            if first == UInt8(ascii: "[") {
                scanner.position += 1
                if !scanner.consume(UInt8(ascii: "]")) {
                    repeat {
                        if scanner.peek() == UInt8(ascii: "{") {
                            try EventDecoder.parseEvent(&scanner, into: &events, stats: &stats)
                        } else {
                            // Not an event: skip that one item, keep the rest of the batch.
                            try scanner.skipValue()
                            stats.badBatchItems += 1
                        }
                    } while scanner.consume(UInt8(ascii: ","))
                    try scanner.expect(UInt8(ascii: "]"))
                }
            } else {
                try EventDecoder.parseEvent(&scanner, into: &events, stats: &stats)
            }
        } catch {
            stats.malformedJSON += 1
        }
    }

    /// Finds the body and how it is encoded; nil when there is no body string.
    static func scanEnvelope(_ buffer: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8]) throws(JSONScanError) -> EnvelopeBody? {
        var scanner = JSONScanner(buffer)
        try scanner.expect(UInt8(ascii: "{"))
        var body: EnvelopeBody.Bytes?
        var base64 = false
        var json = true
        if scanner.consume(UInt8(ascii: "}")) { return nil }
        repeat {
            let key = try scanner.readRawString()
            try scanner.expect(UInt8(ascii: ":"))
            if scanner.keyEquals(key, "body") {
                if scanner.peek() == UInt8(ascii: "\""), let fused = Base64.decodeQuoted(buffer, from: scanner.position + 1, into: &scratch) {
                    // kombu puts `body` first, before `properties` says how it is encoded: decode it as
                    // base64 in the pass that finds its end, and keep the raw range in case it is not.
                    body = .base64InScratch(raw: (scanner.position + 1)..<fused.quote, length: fused.length)
                    scanner.position = fused.quote + 1
                } else if scanner.peek() == UInt8(ascii: "\"") {
                    let raw = try scanner.readRawString()
                    if raw.escaped {
                        var copy = JSONScanner(buffer, at: raw.start - 1)
                        body = .unescaped(Array(try copy.readString().utf8))
                    } else {
                        body = .range(raw.start..<raw.end)
                    }
                } else {
                    try scanner.skipValue()
                }
            } else if scanner.keyEquals(key, "content-type") {
                if scanner.peek() == UInt8(ascii: "\"") {
                    let raw = try scanner.readRawString()
                    if !scanner.keyEquals(raw, "application/json") {
                        var copy = JSONScanner(buffer, at: raw.start - 1)
                        let type = try copy.readString()
                        json = type == "application/json" || type.hasSuffix("+json")
                    }
                } else {
                    try scanner.skipValue()
                }
            } else if scanner.keyEquals(key, "properties"), scanner.peek() == UInt8(ascii: "{") {
                try scanner.expect(UInt8(ascii: "{"))
                if !scanner.consume(UInt8(ascii: "}")) {
                    repeat {
                        let inner = try scanner.readRawString()
                        try scanner.expect(UInt8(ascii: ":"))
                        if scanner.keyEquals(inner, "body_encoding"), scanner.peek() == UInt8(ascii: "\"") {
                            base64 = try scanner.readStringEquals("base64")
                        } else {
                            try scanner.skipValue()
                        }
                    } while scanner.consume(UInt8(ascii: ","))
                    try scanner.expect(UInt8(ascii: "}"))
                }
            } else {
                try scanner.skipValue()
            }
        } while scanner.consume(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "}"))
        guard let body else { return nil }
        return EnvelopeBody(body: body, base64: base64, json: json)
    }

    /// Reads one event object and appends the event when it can be used (counted either way).
    static func parseEvent(
        _ scanner: inout JSONScanner, into events: inout [CeleryEvent], stats: inout DecodeStats
    ) throws(JSONScanError) {
        try scanner.expect(UInt8(ascii: "{"))
        var fields = FieldReader()
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try scanner.readRawString()
                try scanner.expect(UInt8(ascii: ":"))
                try fields.read(key: key, from: &scanner)
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "}"))
        }
        guard let kind = fields.kind(stats: &stats) else { return }
        events.append(fields.takeEvent(kind: kind))
        stats.events += 1
    }
}

/// Collects one event object's fields while scanning, tolerating wrong types in optional fields.
struct FieldReader {
    var event = CeleryEvent(kind: .taskSent, hostname: "", timestamp: .nan)
    var typeName: String?
    var hasHostname = false
    var wrongType = false
    /// A number was outside its `WireRange` (counted once per event in `DecodeStats.outOfRange`).
    var outOfRange = false
    /// An id was not valid UTF-8 (counted once per event in `DecodeStats.invalidUTF8IDs`).
    var invalidUTF8 = false

    mutating func read(key: (start: Int, end: Int, escaped: Bool), from scanner: inout JSONScanner) throws(JSONScanError) {
        switch key.end - key.start {
        case 3:
            if scanner.keyEquals(key, "pid") { event.pid = try int(&scanner, in: WireRange.pid) }
            else if scanner.keyEquals(key, "eta") { event.eta = try time(&scanner) }
            else { try scanner.skipValue() }
        case 4:
            if scanner.keyEquals(key, "type") { typeName = try string(&scanner) }
            else if scanner.keyEquals(key, "uuid") { event.taskKey = try taskKey(&scanner) }
            else if scanner.keyEquals(key, "name") { event.name = try string(&scanner) }
            else if scanner.keyEquals(key, "args") { event.args = try string(&scanner) }
            else if scanner.keyEquals(key, "freq") { event.freq = try double(&scanner, in: WireRange.frequency) }
            else { try scanner.skipValue() }
        case 5:
            if scanner.keyEquals(key, "clock") { event.clock = try int(&scanner, in: WireRange.count) ?? 0 }
            else if scanner.keyEquals(key, "queue") { event.queue = try string(&scanner) }
            else { try scanner.skipValue() }
        case 6:
            if scanner.keyEquals(key, "kwargs") { event.kwargs = try string(&scanner) }
            else if scanner.keyEquals(key, "result") { event.result = try string(&scanner) }
            else if scanner.keyEquals(key, "active") { event.active = try int(&scanner, in: WireRange.count) }
            else if scanner.keyEquals(key, "signum") { event.signum = try int(&scanner, in: WireRange.signum) }
            else if scanner.keyEquals(key, "sw_sys") { event.swSystem = try string(&scanner) }
            else if scanner.keyEquals(key, "sw_ver") { event.swVersion = try string(&scanner) }
            else { try scanner.skipValue() }
        case 7:
            if scanner.keyEquals(key, "retries") { event.retries = try int(&scanner, in: WireRange.retries) }
            else if scanner.keyEquals(key, "root_id") { event.rootKey = try taskKey(&scanner) }
            else if scanner.keyEquals(key, "runtime") { event.runtime = try double(&scanner, in: WireRange.duration) }
            else if scanner.keyEquals(key, "expires") { event.expires = try time(&scanner) }
            else if scanner.keyEquals(key, "expired") { event.expired = try bool(&scanner) }
            else if scanner.keyEquals(key, "requeue") { event.requeue = try bool(&scanner) }
            else if scanner.keyEquals(key, "loadavg") { event.loadavg = try doubles(&scanner) }
            else { try scanner.skipValue() }
        case 8:
            if scanner.keyEquals(key, "hostname") {
                if let name = try string(&scanner) {
                    event.hostname = name
                    hasHostname = true
                }
            } else if scanner.keyEquals(key, "exchange") { event.exchange = try string(&scanner) }
            else if scanner.keyEquals(key, "sw_ident") { event.swIdent = try string(&scanner) }
            else { try scanner.skipValue() }
        case 9:
            if scanner.keyEquals(key, "exception") { event.exception = try string(&scanner) }
            else if scanner.keyEquals(key, "timestamp") { event.timestamp = try double(&scanner, in: WireRange.time) ?? .nan }
            else if scanner.keyEquals(key, "parent_id") { event.parentKey = try taskKey(&scanner) }
            else if scanner.keyEquals(key, "traceback") { event.tracebackText = try escapedText(&scanner) }
            else if scanner.keyEquals(key, "utcoffset") { event.utcoffset = try double(&scanner, in: WireRange.utcOffset) }
            else if scanner.keyEquals(key, "processed") { event.processed = try int(&scanner, in: WireRange.count) }
            else { try scanner.skipValue() }
        case 10:
            if scanner.keyEquals(key, "terminated") { event.terminated = try bool(&scanner) } else { try scanner.skipValue() }
        case 11:
            if scanner.keyEquals(key, "routing_key") { event.routingKey = try string(&scanner) } else { try scanner.skipValue() }
        default:
            try scanner.skipValue()
        }
    }

    /// The event read, of `kind`, moved out (swapped for an empty one). Appending `event` itself copied
    /// it and then destroyed the reader: a retain and a release of every String the event holds.
    mutating func takeEvent(kind: EventKind) -> CeleryEvent {
        var taken = CeleryEvent(kind: kind, hostname: "", timestamp: .nan)
        swap(&taken, &event)
        taken.kind = kind
        return taken
    }

    /// The event's kind when the event can be used; nil (counted) when it cannot.
    func kind(stats: inout DecodeStats) -> EventKind? {
        guard let typeName else {
            stats.badFields += 1
            return nil
        }
        guard let kind = EventKind.wireName(typeName) else {
            stats.noteUnknown(typeName)
            return nil
        }
        if outOfRange { stats.outOfRange += 1 }
        if invalidUTF8 { stats.invalidUTF8IDs += 1 }
        guard hasHostname, event.timestamp.isFinite, !kind.isTaskEvent || event.taskKey?.isEmpty == false else {
            stats.badFields += 1
            return nil
        }
        if wrongType { stats.wrongTypeFields += 1 }
        return kind
    }

    /// Whether a string value comes next; JSON `null` is consumed (false), and any other value is
    /// skipped and counted as a wrong type (false).
    @inline(__always)
    private mutating func atString(_ scanner: inout JSONScanner) throws(JSONScanError) -> Bool {
        switch scanner.peek() {
        case UInt8(ascii: "\""): return true
        case UInt8(ascii: "n"): _ = try scanner.readLiteral(); return false
        default:
            wrongType = true
            try scanner.skipValue()
            return false
        }
    }

    private mutating func string(_ scanner: inout JSONScanner) throws(JSONScanError) -> String? {
        try atString(&scanner) ? try scanner.readString() : nil
    }

    /// Like `string`, for a task id: a UUID is packed straight from the bytes, with no String made.
    /// An id that is not valid UTF-8 keeps its bad bytes as `\xNN` text (see `TaskKey.init(utf8:)`).
    private mutating func taskKey(_ scanner: inout JSONScanner) throws(JSONScanError) -> TaskKey? {
        guard try atString(&scanner) else { return nil }
        let key = try scanner.withStringBytes { TaskKey(utf8: $0) }
        if key.isInvalidUTF8 { invalidUTF8 = true }
        return key
    }

    /// Like `string`, but keeps an ASCII value escaped (the escapes checked, not decoded).
    private mutating func escapedText(_ scanner: inout JSONScanner) throws(JSONScanError) -> EscapedText? {
        try atString(&scanner) ? try scanner.readEscapedText() : nil
    }

    /// A number (or a numeric string, as some producers send) within `range`; nil for `null`, for a
    /// wrong type (counted in `wrongType`) or for a value outside `range`, NaN and infinities included
    /// (counted in `outOfRange`).
    private mutating func double(_ scanner: inout JSONScanner, in range: ClosedRange<Double>) throws(JSONScanError) -> Double? {
        guard let value = try anyDouble(&scanner) else { return nil }
        guard range.contains(value) else {
            outOfRange = true
            return nil
        }
        return value
    }

    /// Any number as sent, unchecked; only `double(_:in:)` and `int(_:in:)` may hand one on.
    private mutating func anyDouble(_ scanner: inout JSONScanner) throws(JSONScanError) -> Double? {
        guard let next = scanner.peek() else { throw .unexpectedEnd }
        switch next {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try scanner.readNumber()
        case UInt8(ascii: "n"): _ = try scanner.readLiteral(); return nil
        case UInt8(ascii: "\""):
            if let value = Double(try scanner.readString()) { return value }
            wrongType = true
            return nil
        default:
            wrongType = true
            try scanner.skipValue()
            return nil
        }
    }

    /// A whole number within `range`: a fraction is a wrong type, a value outside `range` (NaN,
    /// infinities and anything past `Int`'s range included) is out of range.
    private mutating func int(_ scanner: inout JSONScanner, in range: ClosedRange<Int>) throws(JSONScanError) -> Int? {
        guard let value = try anyDouble(&scanner) else { return nil }
        // Checked as Doubles first: the conversion below never sees a value it could trap on.
        guard value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            outOfRange = true
            return nil
        }
        guard value == value.rounded(.towardZero) else {
            wrongType = true
            return nil
        }
        return Int(value)  // Exact and in range: |value| <= 2^53 (`WireRange.count` is the widest).
    }

    private mutating func bool(_ scanner: inout JSONScanner) throws(JSONScanError) -> Bool? {
        switch scanner.peek() {
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): return try scanner.readLiteral()
        default:
            wrongType = true
            try scanner.skipValue()
            return nil
        }
    }

    /// ISO-8601 text as Celery sends it, or epoch seconds as `retrytop events` writes it; either must
    /// fall in `WireRange.time`.
    private mutating func time(_ scanner: inout JSONScanner) throws(JSONScanError) -> Double? {
        if scanner.peek() == UInt8(ascii: "\"") {
            let text = try scanner.readString()
            guard let value = ISO8601.epoch(text) ?? Double(text) else {
                wrongType = true
                return nil
            }
            guard WireRange.time.contains(value) else {
                outOfRange = true
                return nil
            }
            return value
        }
        return try double(&scanner, in: WireRange.time)
    }

    private mutating func doubles(_ scanner: inout JSONScanner) throws(JSONScanError) -> [Double]? {
        guard scanner.peek() == UInt8(ascii: "[") else {
            if scanner.peek() == UInt8(ascii: "n") { _ = try scanner.readLiteral(); return nil }
            wrongType = true
            try scanner.skipValue()
            return nil
        }
        scanner.position += 1
        var values: [Double] = []
        if scanner.consume(UInt8(ascii: "]")) { return values }
        repeat {
            if let value = try double(&scanner, in: WireRange.load) { values.append(value) }
        } while scanner.consume(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "]"))
        return values
    }
}
