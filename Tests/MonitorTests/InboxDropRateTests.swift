import Monitor
import Testing

/// The inbox's drops as a rate over the last seconds, from the cumulative counter noted at ticks.
@Suite struct InboxDropRateTests {
    @Test func dropsOfTheLastFiveSecondsMakeTheRateAndItFallsToZeroAfterThem() {
        var rate = InboxDropRate()
        rate.record(total: 0, at: 100)
        #expect(rate.perSecond(at: 100) == 0)
        rate.record(total: 1_000, at: 101)
        rate.record(total: 5_000, at: 103)
        // 5,000 dropped since the window (98–103] began, at 0 before.
        #expect(rate.perSecond(at: 103) == 1_000)
        // At 106.5 the window (101.5, 106.5] holds the last change only: 4,000 over 5 s.
        #expect(rate.perSecond(at: 106.5) == 800)
        // Nothing new for more than the window: no rate, whatever the total.
        #expect(rate.perSecond(at: 108.5) == 0)
        // Shedding again: only the new drops count.
        rate.record(total: 5_500, at: 120)
        #expect(rate.perSecond(at: 120) == 100)
    }

    @Test func anUnchangedCounterAddsNoSampleAndTheSamplesStayBounded() {
        var rate = InboxDropRate()
        for tick in 0..<10_000 { rate.record(total: 7, at: Double(tick) * 0.05) }
        #expect(rate.perSecond(at: 500) == 0)
        // A counter that changes at every tick (16 a second, times exact in binary) for over an hour
        // keeps a bounded history.
        var busy = InboxDropRate()
        for tick in 0..<72_000 { busy.record(total: tick * 10, at: Double(tick) * 0.0625) }
        let end = Double(71_999) * 0.0625
        // 10 messages every 62.5 ms: 160/s.
        #expect(busy.perSecond(at: end) == 160, "\(busy.perSecond(at: end))")
        #expect(busy.sampleCount <= InboxDropRate.maxSamples)
    }
}
