import Foundation
import Testing
import RedisLink

/// The hand-off from the reader to the decoder costs one wake-up per batch, and nothing when idle.
@Suite struct RawInboxHandOffTests {
    private static func message(_ index: Int) -> RawMessage {
        RawMessage(channel: Array("c".utf8), payload: [UInt8(truncatingIfNeeded: index)])
    }

    /// Runs `waitAndDrain` on its own thread until the inbox closes; returns each batch's size.
    private final class Consumer: @unchecked Sendable {
        private let lock = NSLock()
        private var sizes: [Int] = []
        private let done = DispatchSemaphore(value: 0)

        init(_ inbox: RawInbox) {
            let thread = Thread { [self] in
                var batch: [RawMessage] = []
                while inbox.waitAndDrain(into: &batch) {
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

    @Test func closeHandsOverWhatIsLeftThenEnds() {
        let inbox = RawInbox()
        inbox.push(contentsOf: (0..<3).map(Self.message))
        inbox.close()
        var batch: [RawMessage] = []
        #expect(inbox.waitAndDrain(into: &batch))
        #expect(batch.count == 3)
        #expect(!inbox.waitAndDrain(into: &batch))
        #expect(batch.isEmpty)
    }

    @Test func aBatchPastTheBoundDropsAndCountsEachMessage() {
        let inbox = RawInbox(maxMessages: 4, maxBytes: 1 << 20)
        #expect(inbox.push(contentsOf: (0..<10).map(Self.message)) == 6)
        let stats = inbox.statistics
        #expect(stats.received == 10 && stats.dropped == 6 && stats.depth == 4)
        #expect(inbox.drainAll().map(\.payload) == [[0], [1], [2], [3]])
    }
}
