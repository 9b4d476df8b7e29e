import Testing
@testable import RedisLink

/// Messages share pooled chunks; a chunk's memory goes back to the pool only when its last message is
/// gone, and is never written while a message still uses it.
@Suite struct MessageWriterTests {
    static func write(_ writer: inout MessageWriter, _ channel: String, _ payload: [UInt8]) -> RawMessage {
        Array(channel.utf8).withUnsafeBytes { channelBytes in
            payload.withUnsafeBytes { writer.message(channel: channelBytes, payload: $0) }
        }
    }

    @Test func messagesKeepTheirBytesWhileChunksAreRecycled() {
        let pool = MessageChunkPool(chunkBytes: 1_024, maxPooled: 2, restingPooled: 2)
        var writer = MessageWriter(pool: pool)
        var kept: [RawMessage] = []
        var expected: [(String, [UInt8])] = []
        for round in 0..<50 {
            var batch: [RawMessage] = []
            for index in 0..<20 {
                let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: round &* 31 &+ index), count: 1 + (index * 7) % 200)
                let message = Self.write(&writer, "c\(round).\(index)", payload)
                batch.append(message)
                if index == 3 {
                    kept.append(message)
                    expected.append(("c\(round).\(index)", payload))
                }
            }
            for (index, message) in batch.enumerated() {
                #expect(message.channel == Array("c\(round).\(index)".utf8))
                #expect(message.payload.count == 1 + (index * 7) % 200)
            }
            // Dropping the batch returns every chunk none of `kept` holds.
        }
        #expect(pool.idleCount <= 2)
        for (message, (channel, payload)) in zip(kept, expected) {
            #expect(message.channel == Array(channel.utf8))
            #expect(message.payload == payload)
            #expect(message.withPayload { Array($0) } == payload)
        }
    }

    @Test func aChunkReturnsToThePoolWhenItsLastMessageIsGone() {
        let pool = MessageChunkPool(chunkBytes: 1_024, maxPooled: 4, restingPooled: 4)
        var writer = MessageWriter(pool: pool)
        var first: RawMessage? = Self.write(&writer, "a", [1, 2, 3])
        // Fill the rest of that chunk and move to the next, so the writer lets go of the first.
        for _ in 0..<8 { _ = Self.write(&writer, "b", [UInt8](repeating: 9, count: 200)) }
        #expect(pool.idleCount == 0)
        #expect(first?.payload == [1, 2, 3])
        first = nil
        #expect(pool.idleCount == 1)
    }

    @Test func aLargeMessageGetsAChunkOfItsOwn() {
        let pool = MessageChunkPool(chunkBytes: 1_024, maxPooled: 4, restingPooled: 4)
        var writer = MessageWriter(pool: pool)
        let large = [UInt8](repeating: 5, count: 5_000)
        let message = Self.write(&writer, "big", large)
        #expect(message.payload == large && message.channel == Array("big".utf8) && message.byteCount == 5_003)
        #expect(message == RawMessage(channel: Array("big".utf8), payload: large))
        #expect(message != RawMessage(channel: Array("bi".utf8), payload: [UInt8(ascii: "g")] + large.dropLast()))
    }

    /// During a storm every returned chunk is kept (up to `maxPooled`), so the next reads reuse mapped
    /// memory instead of faulting in fresh pages; a lull (`trim`) frees all but `restingPooled`.
    @Test func aStormKeepsItsChunksAndALullGivesThemBack() {
        let pool = MessageChunkPool(chunkBytes: 1_024, maxPooled: 24, restingPooled: 4)
        var held = (0..<30).map { _ in pool.take() }
        let addresses = Set(held.prefix(24).map(\.base))
        held.removeAll()
        #expect(pool.idleCount == 24, "kept \(pool.idleCount) of 30 returned chunks")
        let again = (0..<24).map { _ in pool.take() }
        #expect(Set(again.map(\.base)).isSubset(of: addresses) && pool.idleCount == 0, "a storm's next chunks are the kept ones")
        _ = consume again
        pool.trim()
        #expect(pool.idleCount == 4)
        pool.trim()
        #expect(pool.idleCount == 4)
    }

    /// A subscriber's pool covers its inbox twice over (the inbox and one drained batch being decoded).
    @Test func aSubscribersPoolCoversItsInboxTwice() {
        let pool = MessageChunkPool(coveringTwice: RawInbox(maxMessages: 10, maxBytes: 10 * 1_024 + 1), chunkBytes: 1_024)
        #expect(pool.maxPooled == 22 && pool.restingPooled == min(22, MessageChunkPool.defaultRestingPooled))
    }
}
