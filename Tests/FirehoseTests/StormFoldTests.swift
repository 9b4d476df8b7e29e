import Testing
import Monitor
@testable import Firehose

@Suite struct StormFoldTests {
    static let configuration = StormConfiguration(events: 20_000, tasks: 1_500, workers: 6, seed: 11)

    @Test func foldingInPublishOrderReproducesTheTruth() {
        let storm = StormGenerator.generate(Self.configuration)
        var state = MonitorState()
        state.apply(storm.allEvents())
        let mismatches = storm.truth.mismatches(in: state)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(state.tasks.count == storm.truth.tasks.count)
        #expect(state.workers.count == Self.configuration.workers)
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func foldingWithCrossWorkerReorderingReproducesTheTruth(shuffleSeed: UInt64) {
        let storm = StormGenerator.generate(Self.configuration)
        // Interleave the workers' message streams at random, keeping each worker's own order (its
        // connection is FIFO), which is all Redis guarantees.
        var perWorker: [String: [StormMessage]] = [:]
        for index in 0..<storm.messageCount {
            let message = storm.message(at: index)
            perWorker[message.hostname, default: []].append(message)
        }
        var random = StormRandom(seed: shuffleSeed)
        var queues = perWorker.keys.sorted().map { perWorker[$0]!.reversed() as [StormMessage] }
        var state = MonitorState()
        while !queues.isEmpty {
            let pick = random.int(in: 0...(queues.count - 1))
            let message = queues[pick].removeLast()
            state.apply(message.events)
            if queues[pick].isEmpty { queues.remove(at: pick) }
        }
        let mismatches = storm.truth.mismatches(in: state)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func aMissingEventIsReportedAsAMismatch() {
        let storm = StormGenerator.generate(StormConfiguration(events: 2_000, tasks: 150, workers: 3, seed: 5))
        var events = storm.allEvents()
        let final = events.lastIndex { $0.kind == .taskSucceeded || $0.kind == .taskFailed }!
        let id = events[final].taskID!
        events.remove(at: final)
        var state = MonitorState()
        state.apply(events)
        #expect(storm.truth.mismatches(in: state).map(\.id) == [id])
    }
}
