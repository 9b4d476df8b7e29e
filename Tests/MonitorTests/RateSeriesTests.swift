import Firehose
import Monitor
import Testing

/// `RateSeries.total` walks its ring of one-second buckets from the window's first slot; it must count
/// exactly the events of the window, across the ring's wrap, for windows longer than the ring and for
/// events the ring has already forgotten.
@Suite struct RateSeriesTests {
    @Test func totalsMatchACountOfEveryEventKept() {
        var generator = SplitMix64(seed: 5)
        for capacity in [1, 7, 60, 900] {
            var series = RateSeries(capacity: capacity)
            // Every event added, by second and kind; a second's bucket is kept until a later second
            // takes its slot.
            var added: [(second: Int, kind: RateKind)] = []
            var slotSecond: [Int: Int] = [:]
            var second = 1_700_000_000 + Int(generator.next() % 1_000)
            for _ in 0..<150 {
                second += Int(generator.next() % 4)
                let kind = RateKind.allCases[Int(generator.next() % UInt64(RateKind.allCases.count))]
                series.add(kind, at: Double(second) + 0.25)
                added.append((second, kind))
                slotSecond[second % capacity] = second
                let newest = second
                for window in [0, 1, 2, capacity - 1, capacity, capacity + 5, 2 * capacity] where window >= 0 {
                    let now = newest - Int(generator.next() % 3)
                    let span = min(window, capacity)
                    for kind in RateKind.allCases {
                        let expected = added.filter { event in
                            event.kind == kind && event.second > now - span && event.second <= now && slotSecond[event.second % capacity] == event.second
                        }.count
                        #expect(series.total(kind, window: window, endingAt: Double(now) + 0.5) == expected,
                                "capacity \(capacity), window \(window), now \(now), newest \(newest)")
                    }
                }
            }
        }
    }
}
