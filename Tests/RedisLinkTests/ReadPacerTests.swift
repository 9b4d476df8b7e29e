import Testing

@testable import RedisLink

/// The reader's pacing, in fake time: reads of given sizes at given instants, and the sleeps it asks for.
@Suite struct ReadPacerTests {
    static let read = 65_536
    static let longest = 0.025

    /// Feeds a steady flow of `bytesPerSecond` the way the reader meets it: after each sleep one read
    /// takes what arrived (split in full reads and a short last one). Returns the sleeps it asked for.
    static func steadyFlow(bytesPerSecond: Double, cycles: Int) -> [Double] {
        var pacer = ReadPacer(longest: longest, readBytes: read)
        var now = 100.0
        var sleeps: [Double] = []
        // A quiet past, then the first message.
        var sleep = pacer.sleep(afterReading: 700, at: now)
        for _ in 0..<cycles {
            let waited = max(sleep, 0.0003)
            now += waited
            var arrived = Int(bytesPerSecond * waited)
            while arrived >= read {
                #expect(pacer.sleep(afterReading: read, at: now) == 0, "a full read never sleeps")
                arrived -= read
            }
            sleep = pacer.sleep(afterReading: max(arrived, 1), at: now)
            sleeps.append(sleep)
        }
        return sleeps
    }

    @Test func aTrickleSleepsTheLongestSleepEveryCycle() {
        let sleeps = Self.steadyFlow(bytesPerSecond: 200_000, cycles: 40)
        #expect(sleeps.allSatisfy { $0 == Self.longest }, "\(sleeps)")
    }

    /// 3.5 MB/s gathers more than one read in 25 ms: the sleep shortens so that it gathers one read.
    @Test func anEverydayRateAboveOneReadPerLongestSleepSleepsForOneRead() {
        let rate = 3_500_000.0
        let sleeps = Self.steadyFlow(bytesPerSecond: rate, cycles: 40).dropFirst(2)
        let oneRead = Double(Self.read) / rate
        #expect(sleeps.allSatisfy { abs($0 - oneRead) < 0.002 }, "\(sleeps) against \(oneRead)")
    }

    /// 50 MB/s: a sleep would gather a read in about 1.3 ms, not worth a wake-up: read on. So from
    /// about 6.5 MB/s (a read in 10 ms).
    @Test func aStormNeverSleeps() {
        for rate in [50_000_000.0, 10_000_000, 7_000_000] {
            let sleeps = Self.steadyFlow(bytesPerSecond: rate, cycles: 200).dropFirst(1)
            #expect(sleeps.allSatisfy { $0 == 0 }, "\(rate): \(sleeps.filter { $0 > 0 })")
        }
    }

    /// After a span with no sleep, a message right after a read is no rate: the pacer waits until the
    /// span is one longest sleep long, then judges it whole. And after a storm it reads on until the
    /// storm's rate has faded (halving each second), then sleeps as the everyday rate asks.
    @Test func oneMessageRightAfterAReadIsNotTakenForARate() {
        var pacer = ReadPacer(longest: Self.longest, readBytes: Self.read)
        var now = 50.0
        _ = pacer.sleep(afterReading: 100, at: now)
        now += Self.longest
        // A storm's span: 30 MB in 25 ms, no sleep.
        for _ in 0..<457 { _ = pacer.sleep(afterReading: Self.read, at: now) }
        #expect(pacer.sleep(afterReading: 100, at: now) == 0)
        // Then the flow falls to 4 KB a millisecond: each message alone would look like 4 KB in 0.25 ms.
        var asked: [Double] = []
        var lastRead = now
        for _ in 0..<12_000 {
            now += 0.001
            // What arrived since the last read, at 4 KB a millisecond, split in reads as the socket gives it.
            var arrived = Int((now - lastRead) * 4_096_000)
            lastRead = now
            while arrived >= Self.read {
                _ = pacer.sleep(afterReading: Self.read, at: now)
                arrived -= Self.read
            }
            let sleep = pacer.sleep(afterReading: max(arrived, 1), at: now)
            asked.append(sleep)
            now += sleep
        }
        let firstSleep = asked.firstIndex { $0 > 0 } ?? asked.count
        // 1.2 GB/s fades to 6.5 MB/s (a 10 ms sleep) in about 7.5 s; judged once every 25 ms meanwhile.
        #expect((7_000...8_500).contains(firstSleep), "first sleep after \(firstSleep) messages")
        #expect(asked.prefix(firstSleep).allSatisfy { $0 == 0 })
        #expect(asked.suffix(100).allSatisfy { $0 == 0 || abs($0 - 0.016) < 0.004 }, "\(asked.suffix(20))")
    }

    /// A lull in a burst (the publisher lost the CPU for 50 ms) reads like an everyday rate, but the
    /// burst's rate a moment before keeps the reader reading.
    @Test func aLullInABurstNeverSleeps() {
        var pacer = ReadPacer(longest: Self.longest, readBytes: Self.read)
        var now = 10.0
        _ = pacer.sleep(afterReading: 100, at: now)
        for _ in 0..<20 {
            now += 0.025
            for _ in 0..<40 { _ = pacer.sleep(afterReading: Self.read, at: now) }
            #expect(pacer.sleep(afterReading: 1_000, at: now) == 0)
        }
        now += 0.05
        #expect(pacer.sleep(afterReading: 20_000, at: now) == 0, "400 KB/s for 50 ms, right after 100 MB/s")
    }

    /// A reader that lost the CPU for 100 ms, then read three full buffers and a short one: 1.9 MB/s
    /// on average, a 25 ms sleep by the rate alone. Three full reads mean it is behind: no sleep.
    @Test func aSpanWithThreeFullReadsNeverSleeps() {
        var pacer = ReadPacer(longest: Self.longest, readBytes: Self.read)
        var now = 20.0
        #expect(pacer.sleep(afterReading: 500, at: now) == Self.longest)
        now += 0.1
        for _ in 0..<3 { #expect(pacer.sleep(afterReading: Self.read, at: now) == 0) }
        #expect(pacer.sleep(afterReading: 1_000, at: now) == 0)
        // Two full reads after a sleep are still an everyday span: 130 KB in 40 ms, a sleep of 20 ms.
        now += 0.03
        _ = pacer.sleep(afterReading: 100, at: now)
        now += 0.04
        for _ in 0..<2 { _ = pacer.sleep(afterReading: Self.read, at: now) }
        let sleep = pacer.sleep(afterReading: 100, at: now)
        #expect(sleep > 0.015 && sleep < 0.025, "\(sleep)")
    }

    @Test func aFullReadReadsOnAndNoCoalescingNeverSleeps() {
        var pacer = ReadPacer(longest: Self.longest, readBytes: Self.read)
        #expect(pacer.sleep(afterReading: Self.read, at: 10) == 0)
        #expect(pacer.sleep(afterReading: 0, at: 11) == 0)
        var off = ReadPacer(longest: 0, readBytes: Self.read)
        #expect(off.sleep(afterReading: 10, at: 10) == 0)
        #expect(off.sleep(afterReading: 10, at: 20) == 0)
    }
}
