import Testing
@testable import RedisLink

/// The subscriber's own RESP framing: pmessages out of the read buffer, every other frame whole for
/// hiredis, hostile bytes a protocol error, oversized payloads skipped without being buffered.
@Suite struct PubSubFramerTests {
    enum Seen: Equatable {
        case message(channel: [UInt8], payload: [UInt8])
        case oversized(Int)
        case other([UInt8])
    }

    static func pmessage(_ channel: String, _ payload: [UInt8], pattern: String = "/0.celeryev/*") -> [UInt8] {
        func bulk(_ bytes: [UInt8]) -> [UInt8] { Array("$\(bytes.count)\r\n".utf8) + bytes + Array("\r\n".utf8) }
        return Array("*4\r\n".utf8) + bulk(Array("pmessage".utf8)) + bulk(Array(pattern.utf8)) + bulk(Array(channel.utf8)) + bulk(payload)
    }

    static let confirmation = Array("*3\r\n$10\r\npsubscribe\r\n$13\r\n/0.celeryev/*\r\n:1\r\n".utf8)
    static let pong = Array("*2\r\n$4\r\npong\r\n$0\r\n\r\n".utf8)
    static let error = Array("-ERR unknown command 'X'\r\n".utf8)
    static let nested = Array("*3\r\n*2\r\n:1\r\n$-1\r\n*-1\r\n+OK\r\n".utf8)
    /// Binary, with CRLF and a fake frame inside: only the length says where it ends.
    static let binary: [UInt8] = [0, 13, 10, 36, 52, 13, 10, 255] + Array("*4\r\n$8\r\npmessage\r\n".utf8)

    /// A stream of every kind, and what it must come out as.
    static let stream: [UInt8] = confirmation + pmessage("/0.celeryev/task.multi", Array("{\"a\":1}".utf8)) + pong
        + pmessage("/0.celeryev/worker.heartbeat", binary) + error + pmessage("/0.celeryev/task.sent", []) + nested
    static let expected: [Seen] = [
        .other(confirmation), .message(channel: Array("/0.celeryev/task.multi".utf8), payload: Array("{\"a\":1}".utf8)),
        .other(pong), .message(channel: Array("/0.celeryev/worker.heartbeat".utf8), payload: binary), .other(error),
        .message(channel: Array("/0.celeryev/task.sent".utf8), payload: []), .other(nested),
    ]

    static func framer(maxPayloadBytes: Int = 1 << 20, readBytes: Int = 64) -> PubSubFramer {
        PubSubFramer(maxPayloadBytes: maxPayloadBytes, readBytes: readBytes)
    }

    static func take(_ framer: PubSubFramer) throws -> [Seen] {
        var seen: [Seen] = []
        while let frame = try framer.next() {
            switch frame {
            case .message(let channel, let payload): seen.append(.message(channel: Array(channel), payload: Array(payload)))
            case .oversized(let bytes): seen.append(.oversized(bytes))
            case .other(let bytes): seen.append(.other(Array(bytes)))
            }
        }
        return seen
    }

    static func feed(_ framer: PubSubFramer, _ bytes: some Collection<UInt8>) {
        Array(bytes).withUnsafeBytes { framer.append($0) }
    }

    @Test func aStreamSplitAtEveryOffsetComesOutTheSame() throws {
        for cut in 0...Self.stream.count {
            let framer = Self.framer()
            Self.feed(framer, Self.stream[..<cut])
            var seen = try Self.take(framer)
            Self.feed(framer, Self.stream[cut...])
            seen += try Self.take(framer)
            #expect(seen == Self.expected, "cut at \(cut)")
            #expect(framer.isIdle)
        }
    }

    @Test func aStreamReadOneByteAtATimeComesOutTheSame() throws {
        let framer = Self.framer()
        var seen: [Seen] = []
        for byte in Self.stream {
            Self.feed(framer, [byte])
            seen += try Self.take(framer)
        }
        #expect(seen == Self.expected)
        #expect(framer.isIdle)
    }

    /// `fill` reads into exactly `readBytes` of free space; frames larger than the buffer grow it.
    @Test func fillReadsThroughTheFreeSpaceAndLargeFramesGrowTheBuffer() throws {
        let big = [UInt8](repeating: 7, count: 1_000)
        let stream = Self.pmessage("c", big) + Self.pong + Self.pmessage("d", big)
        let framer = Self.framer(readBytes: 64)
        var offset = 0
        var seen: [Seen] = []
        while offset < stream.count {
            let count = framer.fill { space -> Int? in
                #expect(space.count == 64)
                let count = min(space.count, stream.count - offset)
                stream[offset..<(offset + count)].withUnsafeBytes { space.copyMemory(from: $0) }
                return count
            }
            offset += count ?? 0
            seen += try Self.take(framer)
        }
        #expect(seen == [.message(channel: [99], payload: big), .other(Self.pong), .message(channel: [100], payload: big)])
        #expect(framer.fill { _ in nil } == nil)
    }

    /// An oversized payload is reported once and skipped as it arrives: the framer never holds it.
    @Test func anOversizedPayloadIsSkippedWithoutBeingBuffered() throws {
        let huge = [UInt8](repeating: 1, count: 100_000)
        let stream = Self.pmessage("/0.celeryev/big", huge) + Self.pong + Self.pmessage("/0.celeryev/small", [9])
        let framer = Self.framer(maxPayloadBytes: 1_000)
        var seen: [Seen] = []
        var largest = 0
        var offset = 0
        while offset < stream.count {
            let end = min(offset + 500, stream.count)
            Self.feed(framer, stream[offset..<end])
            offset = end
            seen += try Self.take(framer)
            largest = max(largest, framer.bufferedBytes)
        }
        #expect(seen == [.oversized(100_000), .other(Self.pong), .message(channel: Array("/0.celeryev/small".utf8), payload: [9])])
        #expect(largest < 600, "held \(largest) bytes")
    }

    /// A declared length far beyond memory is skipped as it comes (and never allocated).
    @Test func aHugeDeclaredPayloadIsOversizedNotAllocated() throws {
        let framer = Self.framer(maxPayloadBytes: 1_000)
        Self.feed(framer, Array("*4\r\n$8\r\npmessage\r\n$1\r\np\r\n$1\r\nc\r\n$1099511627776\r\nxxxx".utf8))
        #expect(try Self.take(framer) == [.oversized(1 << 40)])
        #expect(framer.bufferedBytes == 0 && !framer.isIdle)
        Self.feed(framer, [UInt8](repeating: 0, count: 10_000))
        #expect(try Self.take(framer) == [])
        #expect(framer.bufferedBytes == 0)
    }

    /// A pattern or channel past `maxNameBytes` is skipped with the rest of its message.
    @Test func anOversizedChannelIsSkippedWithItsMessage() throws {
        let channel = String(repeating: "c", count: PubSubFramer.maxNameBytes + 1)
        let framer = Self.framer()
        Self.feed(framer, Self.pmessage(channel, [1, 2, 3]) + Self.pmessage("ok", [4]))
        #expect(try Self.take(framer) == [.oversized(PubSubFramer.maxNameBytes + 1), .message(channel: Array("ok".utf8), payload: [4])])
        #expect(framer.isIdle)
    }

    /// Bytes that cannot be a frame are a protocol error (the connection is dropped), never a guess.
    @Test(arguments: [
        "*4\r\n$8\r\npmessage\r\n$-1\r\n",                       // nil pattern
        "*4\r\n$8\r\npmessage\r\n$+1\r\np\r\n",                  // signed length
        "*4\r\n$8\r\npmessage\r\n$\r\n",                         // empty length
        "*4\r\n$8\r\npmessage\r\n$99999999999999999999\r\n",     // past Int
        "*4\r\n$8\r\npmessage\r\n$1234567890123456789012",       // a length that never ends
        "*4\r\n$8\r\npmessage\r\n$1\r\np\r\n$1\r\nc\r\n$2\r\nabc\r\n",  // payload longer than its length
        "*4\r\n$8\r\npmessage\r\n$1\r\npX\n",                    // no CRLF after the pattern
        "*4\r\n$8\r\npmessage\r\n$1\r\np\r\n:1\r\n",             // a channel that is not a bulk string
        "*4\r\n$8\r\npmessage\r\n$1\r\np\r\n$1\r\nc\r\n$3\rx",   // length ended by CR alone
        "?what\r\n",                                             // unknown type byte
        "*-2\r\n",                                               // negative count other than -1
        "$-5\r\n",                                               // negative length other than -1
        "*x\r\n",                                                // count not a number
    ])
    func malformedFramesAreProtocolErrors(_ text: String) {
        let framer = Self.framer(maxPayloadBytes: 1_000)
        Self.feed(framer, Array(text.utf8) + Array(repeating: UInt8(ascii: "z"), count: 40))
        #expect(throws: RedisError.self) { _ = try Self.take(framer) }
    }

    /// An oversized message whose skipped payload is not ended by CRLF is a protocol error too.
    @Test func aSkippedPayloadMustEndInCRLF() {
        let framer = Self.framer(maxPayloadBytes: 2)
        Self.feed(framer, Array("*4\r\n$8\r\npmessage\r\n$1\r\np\r\n$1\r\nc\r\n$3\r\nabcXY".utf8))
        #expect(throws: RedisError.self) { _ = try Self.take(framer) }
    }

    /// A reply other than a pmessage larger than the bound is a protocol error, not unbounded buffering.
    @Test func anOtherFrameBeyondItsBoundIsAProtocolError() {
        let framer = Self.framer()
        Self.feed(framer, Array("$\(PubSubFramer.maxOtherFrameBytes + 1)\r\n".utf8))
        #expect(throws: RedisError.self) { _ = try Self.take(framer) }
        let lines = Self.framer()
        Self.feed(lines, Array("+".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: PubSubFramer.maxOtherFrameBytes + 2))
        #expect(throws: RedisError.self) { _ = try Self.take(lines) }
    }

    /// Hostile bytes (the valid stream with random bytes changed, cut at random places) never crash
    /// and end either in frames or in a protocol error (`RedisError`, nothing else).
    @Test func mutatedStreamsNeverCrashAndStayBounded() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) % UInt64(bound))
        }
        var errors = 0
        for _ in 0..<3_000 {
            var bytes = Self.stream + Self.stream
            for _ in 0..<(1 + random(4)) {
                bytes[random(bytes.count)] = UInt8(truncatingIfNeeded: random(256))
            }
            let framer = Self.framer(maxPayloadBytes: 64)
            var offset = 0
            do {
                while offset < bytes.count {
                    let end = min(bytes.count, offset + 1 + random(40))
                    Self.feed(framer, bytes[offset..<end])
                    offset = end
                    _ = try Self.take(framer)
                }
            } catch {
                #expect(error is RedisError)
                errors += 1
            }
        }
        // Most single-byte changes land in a length, a CRLF or a type byte: the checks do catch them.
        #expect(errors > 300)
    }
}
