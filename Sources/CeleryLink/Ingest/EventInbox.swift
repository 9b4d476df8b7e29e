import Foundation
import Monitor

/// The hand-over between the decode thread and the loop that owns `MonitorState`.
///
/// The decoder appends; the owner swaps the whole batch out once per frame (O(1) under the lock).
/// Bound: `maxEvents` decoded events waiting. When it is full the decoder waits, which leaves the
/// raw inbox (bounded, counting drops) as the one place where overload shows.
public final class EventInbox: @unchecked Sendable {
    public let maxEvents: Int
    private let condition = NSCondition()
    private var pending = DecodedBatch()
    private var closed = false

    public init(maxEvents: Int = 2_000_000) {
        self.maxEvents = maxEvents
    }

    /// Adds a batch, waiting while the inbox is full; returns false once closed.
    ///
    /// A batch put after `close()` is still kept (no wait), for the owner's last take: the decode thread
    /// decodes what the raw inbox held when the pipeline stopped, which `snapshot` and `record` fold after
    /// `IngestPipeline.stop()` (`OwnerDecodeTests.whatWaitsAtStopReachesTheLastTake`).
    @discardableResult
    public func put(_ batch: DecodedBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while pending.events.count >= maxEvents, !closed { _ = condition.wait(until: Date().addingTimeInterval(0.05)) }
        // The first batch after a take is moved in whole (no copy of each event: a retain of its strings
        // here and a release when the batch is freed); later ones are appended.
        if pending.events.isEmpty {
            pending.events = batch.events
        } else {
            pending.events.append(contentsOf: batch.events)
        }
        pending.stats.add(batch.stats)
        return !closed
    }

    /// Takes everything waiting.
    public func take() -> DecodedBatch {
        condition.lock()
        defer { condition.unlock() }
        let batch = pending
        pending = DecodedBatch()
        condition.broadcast()
        return batch
    }

    public var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.events.count
    }

    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
