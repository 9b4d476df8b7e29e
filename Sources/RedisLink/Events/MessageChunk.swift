/// A block of memory holding the bytes of several `RawMessage`s, written once by one reader thread and
/// then only read; returned to its pool when the last message using it is gone.
///
/// Why: see `RawMessage`: the reader allocates a chunk per few hundred messages instead of a buffer per
/// message, and a recycled chunk's pages are already mapped (at the publisher's maximum, glibc's arena
/// growth and trimming, mprotect and page faults, were most of the reader's time).
///
/// Invariants: bytes are written only before the messages that cover them are handed over (the inbox's
/// lock orders the writes before any read); regions are never written twice. Bounds: `capacity` bytes.
final class MessageChunk: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    /// Where the memory goes when the last message is gone: back to a pool, or freed (nil).
    private let pool: MessageChunkPool?

    /// A chunk from `pool` (its memory is the pool's).
    init(pooled base: UnsafeMutableRawPointer, capacity: Int, pool: MessageChunkPool) {
        self.base = base
        self.capacity = capacity
        self.pool = pool
    }

    /// A chunk of its own, freed with it (one message built by `RawMessage.init(channel:payload:)` or a
    /// message too large to share a pooled chunk).
    init(ownBytes count: Int) {
        capacity = max(count, 1)
        base = .allocate(byteCount: capacity, alignment: 16)
        pool = nil
    }

    deinit {
        if let pool { pool.recycle(base) } else { base.deallocate() }
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(offset >= 0 && offset + bytes.count <= capacity, "MessageChunk write out of bounds")
        base.advanced(by: offset).copyMemory(from: source, byteCount: bytes.count)
    }
}
