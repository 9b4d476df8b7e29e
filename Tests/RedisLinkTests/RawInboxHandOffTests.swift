import Foundation
import Testing
import RedisLink

/// The hand-off from the reader to the decoder costs one wake-up per batch, and nothing when idle.
@Suite struct RawInboxHandOffTests {
    private static func message(_ index: Int) -> RawMessage {
        RawMessage(channel: Array("c".utf8), payload: [UInt8(truncatingIfNeeded: index)])
    }

    /// Runs `waitUntilReady` and `drain` on its own thread until the inbox closes; returns each batch's size.
    private final class Consumer: @unchecked Sendable {
        private let lock = NSLock()
        private var sizes: [Int] = []
        private let done = DispatchSemaphore(value: 0)

        init(_ inbox: RawInbox) {
            let thread = Thread { [self] in
                var batch: [RawMessage] = []
                while inbox.waitUntilReady() {
                    inbox.drain(into: &batch)
                    let count = batch.count
                    lock.withLock { sizes.append(count) }
                }
                done.signal()
            }
            thread.start()
        }

        var batches: [Int] { lock.withLock { sizes } }

        func waitForEnd() -> Bool { done.wait(timeout: .now() + 5) == .success }
    }

    @Test func aBatchWakesTheConsumerOnceAndArrivesWhole() {
        let inbox = RawInbox()
        let consumer = Consumer(inbox)
        #expect(eventually { inbox.statistics.wakeUps == 0 && inbox.statistics.received == 0 })
        usleep(50_000)
        inbox.push(contentsOf: (0..<50).map(Self.message))
        #expect(eventually { consumer.batches.reduce(0, +) == 50 })
        #expect(consumer.batches == [50])
        let stats = inbox.statistics
        #expect(stats.handOffs == 1)
        #expect(stats.wakeUps == 1)
        inbox.close()
        #expect(consumer.waitForEnd())
    }

    @Test func anIdleConsumerSleepsWithoutPolling() {
        let inbox = RawInbox()
        let consumer = Consumer(inbox)
        usleep(300_000)
        // A polling consumer would have drained (empty) batches meanwhile; this one never woke.
        #expect(consumer.batches.isEmpty)
        #expect(inbox.statistics.wakeUps == 0)
        inbox.close()
        #expect(consumer.waitForEnd())
        #expect(consumer.batches.isEmpty)
    }

    /// Below the wake threshold the consumer sleeps on and the owner may take the messages itself;
    /// the push that reaches it wakes the consumer, and the owner then leaves them to it.
    @Test func theConsumerSleepsUntilTheWakeThresholdAndTheOwnerTakesWhatIsBelow() {
        let inbox = RawInbox()
        // Each message is 2 bytes (channel "c" and one payload byte): 10 messages or 20 bytes wake.
        inbox.setWakeThreshold(bytes: 20, messages: 1_000)
        let consumer = Consumer(inbox)
        usleep(50_000)
        inbox.push(contentsOf: (0..<4).map(Self.message))
        usleep(100_000)
        #expect(consumer.batches.isEmpty)
        #expect(inbox.statistics.wakeUps == 0)
        var owned: [RawMessage] = []
        #expect(inbox.drainIfBelowWakeThreshold(into: &owned))
        #expect(owned == (0..<4).map(Self.message))
        #expect(!inbox.drainIfBelowWakeThreshold(into: &owned), "an empty inbox gives nothing")
        #expect(owned.isEmpty)

        inbox.push(contentsOf: (0..<9).map(Self.message))
        usleep(50_000)
        #expect(consumer.batches.isEmpty)
        inbox.push(contentsOf: [Self.message(9)])
        #expect(eventually { consumer.batches == [10] })
        #expect(inbox.statistics.wakeUps == 1)
        // At the threshold the owner leaves the messages to the consumer.
        inbox.push(contentsOf: (0..<10).map(Self.message))
        var late: [RawMessage] = []
        _ = inbox.drainIfBelowWakeThreshold(into: &late)
        #expect(late.isEmpty)
        #expect(eventually { consumer.batches.reduce(0, +) == 20 })

        inbox.close()
        #expect(consumer.waitForEnd())
    }

    /// Lowering the threshold under what already waits wakes a sleeping consumer at once.
    @Test func aLowerThresholdWakesTheConsumerForWhatWaits() {
        let inbox = RawInbox()
        inbox.setWakeThreshold(bytes: 1_000, messages: 1_000)
        let consumer = Consumer(inbox)
        inbox.push(contentsOf: (0..<5).map(Self.message))
        usleep(50_000)
        #expect(consumer.batches.isEmpty)
        inbox.setWakeThreshold(bytes: 1, messages: 1)
        #expect(eventually { consumer.batches == [5] })
        inbox.close()
        #expect(consumer.waitForEnd())
    }

    @Test func closeHandsOverWhatIsLeftThenEnds() {
        let inbox = RawInbox()
        inbox.push(contentsOf: (0..<3).map(Self.message))
        inbox.close()
        var batch: [RawMessage] = []
        #expect(inbox.waitUntilReady())
        inbox.drain(into: &batch)
        #expect(batch.count == 3)
        #expect(!inbox.waitUntilReady())
        inbox.drain(into: &batch)
        #expect(batch.isEmpty)
    }

    @Test func aBatchPastTheBoundDropsAndCountsEachMessage() {
        let inbox = RawInbox(maxMessages: 4, maxBytes: 1 << 20)
        #expect(inbox.push(contentsOf: (0..<10).map(Self.message)) == 6)
        let stats = inbox.statistics
        #expect(stats.received == 10 && stats.dropped == 6 && stats.depth == 4)
        #expect(inbox.drainAll().map(\.payload) == [[0], [1], [2], [3]])
    }

    /// `push(moving:)` (which swaps arrays when nothing is held and everything fits) keeps, drops and counts
    /// exactly as `push(contentsOf:)` does: twin inboxes fed the same random reads, drained at the same
    /// random moments, and bound tightly enough that both paths and the drops are taken.
    @Test func pushMovingKeepsAndCountsExactlyAsPushCopying() {
        var generator = SystemRandomNumberGenerator()
        var swapped = 0
        for bounds in [(maxMessages: 40, maxBytes: 1 << 20), (maxMessages: 1_000, maxBytes: 600), (maxMessages: 7, maxBytes: 90)] {
            let copying = RawInbox(maxMessages: bounds.maxMessages, maxBytes: bounds.maxBytes)
            let moving = RawInbox(maxMessages: bounds.maxMessages, maxBytes: bounds.maxBytes)
            var next = 0
            var copied: [RawMessage] = []
            var moved: [RawMessage] = []
            for _ in 0..<400 {
                let read = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                    defer { next += 1 }
                    return RawMessage(channel: Array("c\(next)".utf8), payload: [UInt8](repeating: 1, count: Int.random(in: 0...30, using: &generator)))
                }
                var batch = read
                let wasEmpty = moving.statistics.depth == 0
                #expect(copying.push(contentsOf: read) == moving.push(moving: &batch))
                #expect(batch.isEmpty)
                if wasEmpty, moving.statistics.depth == read.count { swapped += 1 }
                #expect(copying.statistics == moving.statistics)
                if Int.random(in: 0..<3, using: &generator) == 0 {
                    copied += copying.drainAll()
                    moved += moving.drainAll()
                }
            }
            copied += copying.drainAll()
            moved += moving.drainAll()
            #expect(copied == moved && !moved.isEmpty)
            #expect(copying.statistics == moving.statistics)
        }
        #expect(swapped > 50, "the swap path ran \(swapped) times")
    }
}

