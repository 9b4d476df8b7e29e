/// Copies pmessages into pooled chunks one after another and makes `RawMessage`s of them; one per
/// reader thread.
///
/// Why: see `RawMessage` and `MessageChunkPool`. Invariants: not thread-safe (one reader thread); a
/// chunk is filled front to back and left once the next message does not fit. Bounds: a message larger
/// than a quarter chunk gets a chunk of its own (freed with it), so a chunk wastes at most a quarter.
struct MessageWriter {
    let pool: MessageChunkPool
    private var chunk: MessageChunk?
    private var used = 0

    init(pool: MessageChunkPool) {
        self.pool = pool
    }

    /// A message holding copies of `channel` and `payload`.
    mutating func message(channel: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) -> RawMessage {
        let count = channel.count + payload.count
        if count > pool.chunkBytes / 4 {
            let own = MessageChunk(ownBytes: count)
            own.write(channel, at: 0)
            own.write(payload, at: channel.count)
            return RawMessage(chunk: own, offset: 0, channelCount: channel.count, byteCount: count)
        }
        if chunk == nil || used + count > pool.chunkBytes {
            chunk = pool.take()
            used = 0
        }
        let target = chunk!
        let offset = used
        target.write(channel, at: offset)
        target.write(payload, at: offset + channel.count)
        // Messages start 8-byte aligned (the decoder reads bytes, but aligned starts cost nothing).
        used = min(pool.chunkBytes, (offset + count + 7) & ~7)
        return RawMessage(chunk: target, offset: offset, channelCount: channel.count, byteCount: count)
    }
}
