import Foundation

/// A bounded hand-over queue from the subscriber thread to the decoder: `push` never blocks, `drain`
/// swaps the whole buffer out at once.
///
/// Why: Redis drops a pub/sub client whose output buffer passes 32 MB, so the reader must never wait
/// for the consumer; and an unbounded queue peaked at about 100 MB in a flood. When full the inbox
/// drops the newest message and counts it, so the dashboard can show that events were lost.
///
/// Bounds: at most `maxMessages` messages and `maxBytes` bytes (channel + payload) are held.
/// Thread-safe: any number of producers and consumers; every operation holds the lock for O(1) work
/// per message (a drain swaps arrays; freeing the old elements happens outside the lock).
///
/// Hand-off cost: the reader pushes everything one read brought (`push(contentsOf:)`), and a consumer
/// blocked in `waitUntilReady` is woken at most once per batch, never per message, and only once the
/// wake threshold is reached (`setWakeThreshold`; below it the owner takes with
/// `drainIfBelowWakeThreshold`); an idle consumer sleeps without polling (see docs/celery-wire.md,
/// "Ingest hand-offs").
public final class RawInbox: @unchecked Sendable {
    /// Counters since creation; a consistent snapshot.
    public struct Statistics: Sendable, Equatable {
        /// Messages offered to the inbox (accepted + dropped).
        public var received: Int = 0
        /// Messages dropped because the inbox was full.
        public var dropped: Int = 0
        /// Bytes of the dropped messages.
        public var droppedBytes: Int = 0
        /// Messages the subscriber discarded for exceeding its payload limit (never offered).
        public var oversized: Int = 0
        /// Bytes of the oversized messages.
        public var oversizedBytes: Int = 0
        /// Messages held now.
        public var depth: Int = 0
        /// Bytes held now.
        public var bytes: Int = 0
        /// Largest `depth` seen.
        public var peakDepth: Int = 0
        /// Largest `bytes` seen.
        public var peakBytes: Int = 0
        /// Calls of `push`/`push(contentsOf:)` that brought messages: how often the reader handed over.
        public var handOffs: Int = 0
        /// Times a push woke a consumer sleeping in `waitUntilReady`.
        public var wakeUps: Int = 0

        public init() {}
    }

    public static let defaultMaxMessages = 1_000_000
    public static let defaultMaxBytes = 256 * 1024 * 1024

    public let maxMessages: Int
    public let maxBytes: Int

    private let lock = NSCondition()
    private var buffer: [RawMessage] = []
    private var stats = Statistics()
    /// A consumer sleeps in `waitUntilReady` (so a push must signal); false spares the reader the call.
    private var consumerWaiting = false
    private var closed = false
    /// A consumer is woken once this many bytes, or `wakeMessages` messages, wait (see `setWakeThreshold`).
    private var wakeBytes = 1
    private var wakeMessages = 1

    public init(maxMessages: Int = RawInbox.defaultMaxMessages, maxBytes: Int = RawInbox.defaultMaxBytes) {
        precondition(maxMessages > 0 && maxBytes > 0, "RawInbox bounds must be positive")
        self.maxMessages = maxMessages
        self.maxBytes = maxBytes
    }

    /// Adds a message unless that would pass a bound; returns false (and counts the drop) if full.
    @discardableResult
    public func push(_ message: RawMessage) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let accepted = admit(message)
        stats.handOffs += 1
        wakeConsumer()
        return accepted
    }

    /// Adds the messages of one read in order, each unless it would pass a bound (dropped and counted),
    /// under one lock and with at most one wake-up of a waiting consumer; returns how many were dropped.
    @discardableResult
    public func push(contentsOf messages: [RawMessage]) -> Int {
        guard !messages.isEmpty else { return 0 }
        lock.lock()
        defer { lock.unlock() }
        var dropped = 0
        for message in messages where !admit(message) { dropped += 1 }
        stats.handOffs += 1
        wakeConsumer()
        return dropped
    }

    /// Takes the messages of one read like `push(contentsOf:)`, leaving `messages` empty (with a capacity
    /// of its own). When nothing is held and all of them fit, the arrays are swapped: no message is
    /// copied, so the reader touches no reference count of a chunk the consumer may be letting go of on
    /// the other core at that moment (perf at the publisher's maximum, one event per message: the reader's
    /// `swift_retain` was 14% of its time, the copy into the inbox's array and the release after it two of
    /// its three reference count changes per message).
    @discardableResult
    public func push(moving messages: inout [RawMessage]) -> Int {
        guard !messages.isEmpty else { return 0 }
        lock.lock()
        var dropped = 0
        var size = 0
        for index in messages.indices { size += messages[index].byteCount }
        if buffer.isEmpty, messages.count <= maxMessages, size <= maxBytes {
            swap(&buffer, &messages)
            stats.received += buffer.count
            stats.depth = buffer.count
            stats.bytes = size
            stats.peakDepth = max(stats.peakDepth, stats.depth)
            stats.peakBytes = max(stats.peakBytes, stats.bytes)
        } else {
            for message in messages where !admit(message) { dropped += 1 }
        }
        stats.handOffs += 1
        wakeConsumer()
        lock.unlock()
        // The copies' originals are released outside the lock.
        messages.removeAll(keepingCapacity: true)
        return dropped
    }

    /// Appends one message or counts its drop. Caller holds the lock.
    private func admit(_ message: RawMessage) -> Bool {
        let size = message.byteCount
        stats.received += 1
        if stats.depth >= maxMessages || stats.bytes + size > maxBytes {
            stats.dropped += 1
            stats.droppedBytes += size
            return false
        }
        buffer.append(message)
        stats.depth += 1
        stats.bytes += size
        if stats.depth > stats.peakDepth { stats.peakDepth = stats.depth }
        if stats.bytes > stats.peakBytes { stats.peakBytes = stats.bytes }
        return true
    }

    /// Wakes a consumer sleeping in `waitUntilReady` if there is one and enough to take. Caller holds the lock.
    private func wakeConsumer() {
        guard consumerWaiting, isReady else { return }
        consumerWaiting = false
        stats.wakeUps += 1
        lock.signal()
    }

    /// Enough waits for a consumer: at least one message, and the wake threshold reached. Caller holds the lock.
    private var isReady: Bool {
        !buffer.isEmpty && (stats.bytes >= wakeBytes || stats.depth >= wakeMessages)
    }

    /// Lets a consumer in `waitUntilReady` sleep until `bytes` bytes or `messages` messages
    /// wait (the default, 1 and 1: the first message wakes it). Below the threshold the messages are left
    /// for `drainIfBelowWakeThreshold`, so at an everyday rate the owner of the model decodes them in its
    /// own frame and a separate consumer thread is never woken (`IngestPipeline`).
    public func setWakeThreshold(bytes: Int, messages: Int) {
        precondition(bytes > 0 && messages > 0, "RawInbox wake thresholds must be positive")
        lock.lock()
        wakeBytes = bytes
        wakeMessages = messages
        if consumerWaiting, isReady {
            consumerWaiting = false
            lock.signal()
        }
        lock.unlock()
    }

    /// Counts a message the subscriber refused for its size.
    public func recordOversized(bytes: Int) {
        lock.lock()
        stats.oversized += 1
        stats.oversizedBytes += bytes
        lock.unlock()
    }

    /// Moves every held message into `batch` (which is emptied first, keeping its capacity, so two
    /// arrays alternate without reallocating). O(1) under the lock.
    public func drain(into batch: inout [RawMessage]) {
        batch.removeAll(keepingCapacity: true)
        lock.lock()
        swap(&buffer, &batch)
        stats.depth = 0
        stats.bytes = 0
        lock.unlock()
    }

    /// Moves every held message into `batch` like `drain(into:)`, but only while they stay below the wake
    /// threshold (a consumer is not due); returns whether it took them. For the owner of the model, which
    /// decodes a trickle itself rather than wake a thread for it.
    public func drainIfBelowWakeThreshold(into batch: inout [RawMessage]) -> Bool {
        batch.removeAll(keepingCapacity: true)
        lock.lock()
        defer { lock.unlock() }
        guard !buffer.isEmpty, !isReady else { return false }
        swap(&buffer, &batch)
        stats.depth = 0
        stats.bytes = 0
        return true
    }

    /// Blocks until the wake threshold is reached (by default: one message is held) or `close()`; returns
    /// false once closed and empty. No polling: the consumer sleeps until a push wakes it. The caller then
    /// drains (`drain(into:)`); what is held may be taken by someone else first.
    public func waitUntilReady() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while !isReady, !closed {
            consumerWaiting = true
            lock.wait()
        }
        consumerWaiting = false
        return !buffer.isEmpty || !closed
    }

    /// Wakes a consumer in `waitUntilReady` for good: it takes what is left, then gets false.
    public func close() {
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
    }

    /// Takes every held message.
    public func drainAll() -> [RawMessage] {
        var batch: [RawMessage] = []
        drain(into: &batch)
        return batch
    }

    public var statistics: Statistics {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }
}
