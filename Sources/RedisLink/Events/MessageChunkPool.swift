import Foundation

/// Recycles the memory of `MessageChunk`s between the reader (which takes) and the decoder (whose last
/// dropped message gives back), so a steady storm maps no new pages.
///
/// Why: allocating each message on the reader and freeing it on the decode thread made glibc grow and
/// trim the reader's arena over and over (mprotect, page faults: about three quarters of the reader's
/// CPU at the publisher's maximum, measured with perf). Keeping only a few chunks was not enough: when
/// decode fell behind, the inbox held hundreds of chunks, every chunk beyond the few was freed once
/// decoded and a new one faulted in for the next read, and zeroing those fresh pages was 39% of the
/// reader's CPU at the publisher's maximum, one event per message (perf, `clear_page_erms` under the
/// copy into the chunk). So during a storm every returned chunk is kept, up to `maxPooled`, and only a
/// lull (`trim`) gives back what is beyond `restingPooled`.
///
/// Thread-safe (one lock, taken once per chunk, not per message). Bounds: at most `maxPooled` idle chunks
/// of `chunkBytes` are kept while messages flow; after a lull at most `restingPooled`. Chunks are taken
/// only when none is idle, so the idle ones never add to the peak the storm itself reached.
final class MessageChunkPool: @unchecked Sendable {
    let chunkBytes: Int
    let maxPooled: Int
    let restingPooled: Int
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []

    static let defaultChunkBytes = 256 * 1_024
    static let defaultRestingPooled = 64

    init(chunkBytes: Int = MessageChunkPool.defaultChunkBytes, maxPooled: Int, restingPooled: Int = MessageChunkPool.defaultRestingPooled) {
        precondition(chunkBytes > 0 && maxPooled >= 0 && restingPooled >= 0, "MessageChunkPool bounds must be positive")
        self.chunkBytes = chunkBytes
        self.maxPooled = maxPooled
        self.restingPooled = min(restingPooled, maxPooled)
        idle.reserveCapacity(self.restingPooled)
    }

    /// A pool that keeps enough chunks for everything `inbox` may hold plus one drained batch of the same
    /// size being decoded: the working set of a reader whose decoder is behind.
    convenience init(coveringTwice inbox: RawInbox, chunkBytes: Int = MessageChunkPool.defaultChunkBytes) {
        let chunks = (inbox.maxBytes + chunkBytes - 1) / chunkBytes
        self.init(chunkBytes: chunkBytes, maxPooled: 2 * chunks)
    }

    deinit {
        for base in idle { base.deallocate() }
    }

    /// An idle chunk, or a new one.
    func take() -> MessageChunk {
        let reused: UnsafeMutableRawPointer? = lock.withLock { idle.popLast() }
        let base = reused ?? .allocate(byteCount: chunkBytes, alignment: 16)
        return MessageChunk(pooled: base, capacity: chunkBytes, pool: self)
    }

    /// Takes back a chunk's memory (from `MessageChunk.deinit`, on whichever thread dropped it last).
    func recycle(_ base: UnsafeMutableRawPointer) {
        let kept = lock.withLock {
            guard idle.count < maxPooled else { return false }
            idle.append(base)
            return true
        }
        if !kept { base.deallocate() }
    }

    /// Frees the idle chunks beyond `restingPooled` (the reader calls it in a lull: when it sleeps or its
    /// read times out). Cheap when there is nothing to free: one lock and a count.
    func trim() {
        let surplus: [UnsafeMutableRawPointer] = lock.withLock {
            guard idle.count > restingPooled else { return [] }
            let extra = Array(idle[restingPooled...])
            idle.removeSubrange(restingPooled...)
            return extra
        }
        for base in surplus { base.deallocate() }
    }

    /// Idle chunks held now.
    var idleCount: Int { lock.withLock { idle.count } }
}
