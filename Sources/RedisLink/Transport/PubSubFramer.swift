/// Splits a subscriber's RESP2 byte stream into frames, taking each `pmessage` straight out of its own
/// accumulation buffer and leaving every other frame to hiredis.
///
/// Why: at the publisher's maximum the reader must never fall behind, or Redis cuts it (32 MB pub/sub
/// output limit) and what was published meanwhile is lost uncounted. Through hiredis a pmessage cost a
/// reply tree (an array and four strings) plus two Swift copies: about eight allocations and three
/// copies per message. Here a pmessage costs one copy, into a pooled chunk shared with the other messages
/// of the read (`MessageWriter`, `RawMessage`). Every other frame (psubscribe confirmations, `pong`, errors) is framed here
/// and parsed by hiredis, so its meaning is hiredis' as before (`RedisConnection.readFrames`).
///
/// The fast path takes exactly `*4\r\n$8\r\npmessage\r\n` followed by three bulk strings; lengths must
/// be decimal digits (no sign) and each bulk must end in `\r\n`. Anything else that claims to be a
/// pmessage is a protocol error, which closes the connection like a hiredis protocol error.
///
/// Invariants: frames come out in stream order; a frame split across reads is kept (at the front of the
/// buffer) until it is whole; one thread uses an instance. Bounds: a pmessage whose payload passes
/// `maxPayloadBytes`, or whose pattern or channel passes `maxNameBytes`, is skipped as it streams in
/// (never buffered whole) and reported `.oversized`; another frame longer than `maxOtherFrameBytes` is a
/// protocol error; so the buffer holds at most about `maxPayloadBytes + 2 × maxNameBytes + readBytes`.
final class PubSubFramer {
    /// One frame taken from the stream.
    enum Frame {
        /// A pmessage's channel and payload, in place: valid until the next call on the framer (the
        /// subscriber copies them into a pooled chunk, `MessageWriter`).
        case message(channel: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer)
        /// A pmessage too large to keep: `bytes` is the length that passed its bound; the rest of it is
        /// skipped as it arrives.
        case oversized(bytes: Int)
        /// Any other frame, whole; the bytes are valid until the next call on the framer.
        case other(UnsafeRawBufferPointer)
    }

    /// Bytes asked of each read; a read that brings this many means more is waiting.
    let readBytes: Int
    let maxPayloadBytes: Int
    static let maxNameBytes = 64 * 1_024
    /// psubscribe confirmations, pongs and errors are a few dozen bytes.
    static let maxOtherFrameBytes = 1_024 * 1_024
    /// `$` + at most 19 digits + `\r\n`: longer is a protocol error, not a reason to wait.
    private static let maxHeaderBytes = 22
    private static let pmessagePrefix: StaticString = "*4\r\n$8\r\npmessage\r\n"

    /// Where a partly skipped oversized pmessage stands: body bytes left, CRLF bytes left to check,
    /// and bulk strings of the frame after this one.
    private struct Skip {
        var body: Int
        var crlf: Int
        var bulksAfter: Int
    }

    private var storage: UnsafeMutableRawBufferPointer
    /// Unconsumed bytes are `storage[start..<end]`.
    private var start = 0
    private var end = 0
    private var skip: Skip?
    /// Bytes the frame at `start` needs in one piece (grows the buffer before the next read).
    private var wanted = 0

    init(maxPayloadBytes: Int, readBytes: Int) {
        precondition(maxPayloadBytes >= 0 && readBytes > 0, "PubSubFramer bounds must be positive")
        self.maxPayloadBytes = maxPayloadBytes
        self.readBytes = readBytes
        storage = .allocate(byteCount: 2 * readBytes, alignment: 1)
    }

    deinit {
        storage.deallocate()
    }

    /// True when no byte is held and no frame is half skipped: hiredis could take over the stream.
    var isIdle: Bool { start == end && skip == nil }

    /// Bytes held and not yet framed (for tests and the hand-back to hiredis).
    var bufferedBytes: Int { end - start }

    /// Reads once through `read`, which gets exactly `readBytes` of free space; returns what it returned.
    func fill(_ read: (UnsafeMutableRawBufferPointer) throws -> Int?) rethrows -> Int? {
        makeRoom(for: readBytes)
        let count = try read(UnsafeMutableRawBufferPointer(rebasing: storage[end..<(end + readBytes)]))
        if let count {
            precondition(count >= 0 && count <= readBytes, "read reported more bytes than it was given")
            end += count
        }
        return count
    }

    /// Appends bytes (tests, and the bytes hiredis held when the framer takes over).
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        makeRoom(for: bytes.count)
        storage.baseAddress!.advanced(by: end).copyMemory(from: base, byteCount: bytes.count)
        end += bytes.count
    }

    /// Gives every held byte to `body` and forgets them (hiredis takes over the stream); only when no
    /// frame is half skipped.
    func handOver(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard skip == nil else { throw RedisError.protocolError("an oversized pmessage is half read") }
        let held = UnsafeRawBufferPointer(rebasing: storage[start..<end])
        start = 0
        end = 0
        wanted = 0
        try body(held)
    }

    /// The next whole frame, or nil when more bytes are needed. Throws `RedisError.protocolError` for
    /// bytes that cannot be a RESP2 frame; the framer is then unusable (the connection must be dropped).
    func next() throws -> Frame? {
        while skip != nil {
            guard try advanceSkip() else { return nil }
        }
        guard start < end else {
            start = 0
            end = 0
            return nil
        }
        switch matchPrefix() {
        case .some(true): return try nextPmessage()
        case .some(false): return try nextOther()
        case .none: return nil
        }
    }

    // MARK: - pmessage

    /// Whether the held bytes begin with the pmessage prefix; nil while they are a proper prefix of it.
    private func matchPrefix() -> Bool? {
        let prefix = Self.pmessagePrefix
        let count = min(end - start, prefix.utf8CodeUnitCount)
        for index in 0..<count where storage[start + index] != prefix.utf8Start[index] { return false }
        return count == prefix.utf8CodeUnitCount ? true : nil
    }

    private func nextPmessage() throws -> Frame? {
        var position = start + Self.pmessagePrefix.utf8CodeUnitCount
        // Pattern, then channel: kept while within maxNameBytes (2 and 1 bulk strings follow them).
        var channel = position..<position
        for field in 0..<2 {
            let bulksAfter = 2 - field
            guard let length = try bulkHeader(at: &position) else { return nil }
            if length > Self.maxNameBytes {
                beginSkip(Skip(body: length, crlf: 2, bulksAfter: bulksAfter), at: position)
                return .oversized(bytes: length)
            }
            guard position + length + 2 <= end else { return waitFor(position + length + 2) }
            try expectCRLF(at: position + length)
            channel = position..<(position + length)
            position += length + 2
        }
        guard let length = try bulkHeader(at: &position) else { return nil }
        if length > maxPayloadBytes {
            beginSkip(Skip(body: length, crlf: 2, bulksAfter: 0), at: position)
            return .oversized(bytes: length)
        }
        guard position + length + 2 <= end else { return waitFor(position + length + 2) }
        try expectCRLF(at: position + length)
        let frame = Frame.message(
            channel: UnsafeRawBufferPointer(rebasing: storage[channel]),
            payload: UnsafeRawBufferPointer(rebasing: storage[position..<(position + length)]))
        consume(upTo: position + length + 2)
        return frame
    }

    /// Parses `$<digits>\r\n` at `position` (moved past it); nil when the header is not all here yet.
    private func bulkHeader(at position: inout Int) throws -> Int? {
        guard position < end else { return waitFor(position + 1) }
        guard storage[position] == UInt8(ascii: "$") else {
            throw RedisError.protocolError("pmessage: expected a bulk string, got byte \(storage[position])")
        }
        var value = 0
        var index = position + 1
        while true {
            guard index < end else {
                if index - position >= Self.maxHeaderBytes { throw RedisError.protocolError("pmessage: bulk length too long") }
                return waitFor(index + 1)
            }
            let byte = storage[index]
            if byte == UInt8(ascii: "\r") { break }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), index - position < Self.maxHeaderBytes - 2 else {
                throw RedisError.protocolError("pmessage: bad bulk length")
            }
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { throw RedisError.protocolError("pmessage: bulk length out of range") }
            value = sum
            index += 1
        }
        guard index > position + 1 else { throw RedisError.protocolError("pmessage: empty bulk length") }
        guard index + 1 < end else { return waitFor(index + 2) }
        guard storage[index + 1] == UInt8(ascii: "\n") else { throw RedisError.protocolError("pmessage: bulk length not ended by CRLF") }
        position = index + 2
        return value
    }

    private func expectCRLF(at position: Int) throws {
        guard storage[position] == UInt8(ascii: "\r"), storage[position + 1] == UInt8(ascii: "\n") else {
            throw RedisError.protocolError("pmessage: bulk string not ended by CRLF")
        }
    }

    /// Drops the frame's bytes before `position` and skips the rest as it arrives.
    private func beginSkip(_ state: Skip, at position: Int) {
        consume(upTo: position)
        skip = state
    }

    /// Moves the skip along over the held bytes; true when it finished (the next frame may start).
    private func advanceSkip() throws -> Bool {
        guard var state = skip else { return true }
        defer { skip = state.body == 0 && state.crlf == 0 && state.bulksAfter == 0 ? nil : state }
        while true {
            if state.body > 0 {
                let taken = min(state.body, end - start)
                state.body -= taken
                consume(upTo: start + taken)
                if state.body > 0 { return false }
            }
            while state.crlf > 0 {
                guard start < end else { return false }
                let expected = state.crlf == 2 ? UInt8(ascii: "\r") : UInt8(ascii: "\n")
                guard storage[start] == expected else { throw RedisError.protocolError("pmessage: bulk string not ended by CRLF") }
                state.crlf -= 1
                consume(upTo: start + 1)
            }
            guard state.bulksAfter > 0 else { return true }
            var position = start
            guard let length = try bulkHeader(at: &position) else { return false }
            consume(upTo: position)
            state = Skip(body: length, crlf: 2, bulksAfter: state.bulksAfter - 1)
        }
    }

    // MARK: - Other frames

    /// Frames one whole RESP2 reply of any other kind (without judging its contents: hiredis does).
    private func nextOther() throws -> Frame? {
        var position = start
        var remaining = 1
        while remaining > 0 {
            guard position - start <= Self.maxOtherFrameBytes else {
                throw RedisError.protocolError("a reply of more than \(Self.maxOtherFrameBytes) bytes on a subscriber")
            }
            guard position < end else { return waitFor(position + 1) }
            let kind = storage[position]
            guard let lineEnd = try lineEnd(from: position + 1) else { return nil }
            remaining -= 1
            switch kind {
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"):
                position = lineEnd
            case UInt8(ascii: "$"):
                let length = try integer(position + 1..<(lineEnd - 2))
                position = lineEnd
                if length >= 0 {
                    guard length <= Self.maxOtherFrameBytes else {
                        throw RedisError.protocolError("a reply of more than \(Self.maxOtherFrameBytes) bytes on a subscriber")
                    }
                    guard position + length + 2 <= end else { return waitFor(position + length + 2) }
                    position += length + 2
                }
            case UInt8(ascii: "*"):
                let count = try integer(position + 1..<(lineEnd - 2))
                position = lineEnd
                // Each element takes at least 3 bytes, so more than that many cannot fit the bound.
                guard count <= Self.maxOtherFrameBytes / 3 else {
                    throw RedisError.protocolError("a reply of more than \(Self.maxOtherFrameBytes) bytes on a subscriber")
                }
                if count > 0 { remaining += count }
            default:
                throw RedisError.protocolError("Protocol error, got \"\(Character(Unicode.Scalar(kind)))\" as reply type byte")
            }
        }
        let frame = UnsafeRawBufferPointer(rebasing: storage[start..<position])
        consume(upTo: position)
        return .other(frame)
    }

    /// The position just past the `\r\n` ending the line that starts at `from`; nil when not here yet.
    private func lineEnd(from: Int) throws -> Int? {
        var index = from
        while index + 1 < end {
            if storage[index] == UInt8(ascii: "\r"), storage[index + 1] == UInt8(ascii: "\n") { return index + 2 }
            index += 1
        }
        guard index - start < Self.maxOtherFrameBytes else {
            throw RedisError.protocolError("a reply of more than \(Self.maxOtherFrameBytes) bytes on a subscriber")
        }
        return waitFor(index + 2)
    }

    /// A RESP integer (`-1` for nil; smaller is a protocol error).
    private func integer(_ range: Range<Int>) throws -> Int {
        var index = range.lowerBound
        let negative = index < range.upperBound && storage[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < range.upperBound, range.upperBound - index <= 18 else { throw RedisError.protocolError("bad length in a reply") }
        var value = 0
        while index < range.upperBound {
            let byte = storage[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw RedisError.protocolError("bad length in a reply") }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            index += 1
        }
        if negative {
            guard value == 1 else { throw RedisError.protocolError("bad length in a reply") }
            return -1
        }
        return value
    }

    // MARK: - Buffer

    /// Notes that the frame at `start` needs the bytes up to `position` in one piece; returns nil.
    private func waitFor<T>(_ position: Int) -> T? {
        wanted = position - start
        return nil
    }

    private func consume(upTo position: Int) {
        start = position
        wanted = 0
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Makes `count` bytes of free space after `end` and room for the frame being waited for: moves
    /// the held bytes to the front, grows the buffer for a large frame, shrinks it back when empty.
    private func makeRoom(for count: Int) {
        let initial = 2 * readBytes
        if start == end, storage.count > 4 * initial {
            storage.deallocate()
            storage = .allocate(byteCount: initial, alignment: 1)
            start = 0
            end = 0
        }
        let held = end - start
        let needed = max(held, wanted) + count
        if needed > storage.count {
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, 2 * storage.count), alignment: 1)
            if held > 0 { grown.baseAddress!.copyMemory(from: storage.baseAddress!.advanced(by: start), byteCount: held) }
            storage.deallocate()
            storage = grown
            start = 0
            end = held
        } else if storage.count - end < count {
            if held > 0 { storage.baseAddress!.copyMemory(from: storage.baseAddress!.advanced(by: start), byteCount: held) }
            start = 0
            end = held
        }
    }
}
