import Foundation

/// Recycles the memory of `MessageChunk`s between the reader (which takes) and the decoder (whose last
/// dropped message gives back), so a steady storm maps no new pages.
///
/// Why: allocating each message on the reader and freeing it on the decode thread made glibc grow and
/// trim the reader's arena over and over (mprotect, page faults: about three quarters of the reader's
/// CPU at the publisher's maximum, measured with perf).
///
/// Thread-safe (one lock, taken once per chunk, not per message). Bounds: at most `maxPooled` idle chunks
/// of `chunkBytes` are kept; beyond that a returned chunk is freed, so after a storm at most
/// `maxPooled × chunkBytes` stays allocated.
final class MessageChunkPool: @unchecked Sendable {
    let chunkBytes: Int
    let maxPooled: Int
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []

    static let defaultChunkBytes = 256 * 1_024
    static let defaultMaxPooled = 64

    init(chunkBytes: Int = MessageChunkPool.defaultChunkBytes, maxPooled: Int = MessageChunkPool.defaultMaxPooled) {
        precondition(chunkBytes > 0 && maxPooled >= 0, "MessageChunkPool bounds must be positive")
        self.chunkBytes = chunkBytes
        self.maxPooled = maxPooled
        idle.reserveCapacity(maxPooled)
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

    /// Idle chunks held now.
    var idleCount: Int { lock.withLock { idle.count } }
}
