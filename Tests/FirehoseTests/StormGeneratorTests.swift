import Testing
import Monitor
@testable import Firehose

@Suite struct StormGeneratorTests {
    static let small = StormConfiguration(events: 6_000, tasks: 600, workers: 5, batch: .celery, seed: 42, rate: 20_000)

    @Test func sameSeedGivesTheSameBytesAndTruth() {
        let first = StormGenerator.generate(Self.small)
        let second = StormGenerator.generate(Self.small)
        #expect(first.messageCount == second.messageCount)
        #expect(first.truth == second.truth)
        #expect(EncodedStorm(first).bytes == EncodedStorm(second).bytes)
        // Materialising out of order changes nothing: each message derives its randomness from its index.
        let last = first.messageCount - 1
        #expect(EnvelopeEncoder.envelope(second.message(at: last)) == EnvelopeEncoder.envelope(first.message(at: last)))
    }

    @Test func anotherSeedGivesAnotherStorm() {
        var other = Self.small
        other.seed = 43
        #expect(StormGenerator.generate(other).truth != StormGenerator.generate(Self.small).truth)
    }

    @Test func stormHasTheRequestedShape() {
        let storm = StormGenerator.generate(Self.small)
        #expect(storm.truth.tasks.count == 600)
        #expect(abs(storm.eventCount - 6_000) < 300)
        let events = storm.allEvents()
        #expect(events.count == storm.eventCount)
        #expect(Set(events.compactMap(\.taskID)).count == 600)
        #expect(storm.truth.counts[.failure, default: 0] > 100 && storm.truth.counts[.success, default: 0] > 300)
        #expect(storm.truth.tasks.values.contains { Set($0.workers).count > 1 })
        #expect(storm.truth.tasks.values.contains { $0.retries >= 3 })
        // Every worker announces itself first and its clock only goes up in send order.
        var lastClock: [String: Int] = [:]
        for event in events {
            if let previous = lastClock[event.hostname] {
                #expect(event.clock > previous)
            } else {
                #expect(event.kind == .workerOnline)
            }
            lastClock[event.hostname] = event.clock
        }
        #expect(lastClock.count == 5)
        // Tracebacks of realistic size, task names from the set, retries with an ETA.
        let tracebacks = events.compactMap(\.traceback)
        #expect(!tracebacks.isEmpty && tracebacks.allSatisfy { (900...2_600).contains($0.utf8.count) })
        #expect(Set(events.compactMap(\.name)).isSubset(of: Set(StormGenerator.names)))
        #expect(events.contains { $0.kind == .taskReceived && ($0.retries ?? 0) > 0 && $0.eta != nil })
        // Batches of 1 to 3, in all three sizes.
        let sizes = Set((0..<storm.messageCount).map { storm.eventCount(ofMessage: $0) })
        #expect(sizes == [1, 2, 3])
    }

    @Test func retryMessagesOftenArriveBeforeTheRetriedEventAndAcrossWorkers() {
        let storm = StormGenerator.generate(Self.small)
        var receivedBeforeRetried = 0
        var laterAttemptStartedFirst = 0
        var retriedSeen: [String: Int] = [:]
        var startedAttempts: [String: Int] = [:]
        for event in storm.allEvents() {
            guard let id = event.taskID else { continue }
            switch event.kind {
            case .taskReceived:
                if let retries = event.retries, retries > 0, retriedSeen[id, default: 0] < retries { receivedBeforeRetried += 1 }
            case .taskStarted:
                startedAttempts[id, default: 0] += 1
            case .taskRetried:
                retriedSeen[id, default: 0] += 1
                if startedAttempts[id, default: 0] > retriedSeen[id, default: 0] { laterAttemptStartedFirst += 1 }
            default: break
            }
        }
        #expect(receivedBeforeRetried > 100)
        #expect(laterAttemptStartedFirst > 0)
    }

    @Test func oneEventPerMessageMix() {
        var configuration = Self.small
        configuration.batch = .single
        let storm = StormGenerator.generate(configuration)
        #expect(storm.messageCount == storm.eventCount)
    }
}
