#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When the subscriber's reader sleeps between reads, and for how long: the adaptive batching of
/// `EventSubscriber`. Pure: the reader tells it each read and the time, it answers with a sleep.
///
/// A read that filled the buffer means more is waiting: read on. A read that drained the socket may end
/// a cycle: the reader then sleeps so that the next read takes what arrived meanwhile in one go. The
/// sleep is as long as gathers one full read at the cycle's rate, at most `longest`; where that is
/// shorter than `shortest` (from about 6.5 MB/s with a 64 KB read and 10 ms) it does not sleep at all,
/// since Redis writes a client at most 64 KB per event-loop turn, most storm reads are short, and a
/// sleep after each would leave the backlog in Redis' output buffer, which cuts the subscriber. The
/// bound sits between two needs: an overload is choppy (a 25 ms span in which Redis or the reader lost
/// the CPU reads slower than the flow, so a high bound lets such spans sleep), and an everyday 2,000
/// events/s with tracebacks (about 3.5 MB/s) is choppy too on a loaded machine (at a 15 ms bound,
/// 4.4 MB/s, its spans crossed it and the reader handed over 160 times in 0.6 s under the unit suite).
///
/// A span with three full reads never ends in a sleep, nor does any while the raw inbox sheds
/// (`EventSubscriber`): both mean the reader is behind. The sleep follows the highest recent rate, not
/// the last span's (a burst's lull under load read like an everyday rate, and a sleep there let Redis
/// cut the subscriber in `aBurstIsReadAtFullSpeedWithoutBeingCut` under the whole unit suite). The rate is the bytes read since the last
/// decision over the time since, and is judged only over a span worth judging: one that began with a sleep, or one at least `longest` long. One message right after a read is no rate: judged alone it made an
/// everyday 3.5 MB/s look like a storm, and the reader then woke once per message
/// (`EventSubscriberBatchingTests.anEverydayRateOfMoreThanOneReadPerSleepStillCoalesces`).
public struct ReadPacer: Sendable {
    /// The longest sleep, seconds (`EventSubscriber.Configuration.coalesce`); 0 turns sleeping off.
    public let longest: Double
    /// Below this a sleep is not worth a wake-up: read on.
    public let shortest: Double
    /// The bytes one read takes at most: what one sleep should gather.
    public let readBytes: Int

    private var spanBytes = 0
    /// Reads in the span that filled the buffer.
    private var spanFullReads = 0
    /// When the span began; a connection's first read finds a quiet past, so the first flow starts
    /// with a sleep.
    private var spanStart = -Double.infinity
    private var spanBeganWithSleep = false
    /// The highest recent rate, bytes a second, halving every `peakHalfLife` seconds: sleeps follow it,
    /// so the seconds after a storm (or a storm's lull, when the publisher or Redis lost the CPU) read
    /// on, and a lull never sleeps in the middle of a burst.
    private var peakRate = 0.0
    private var peakAt = -Double.infinity

    public init(longest: Double, shortest: Double = 0.010, readBytes: Int) {
        self.longest = max(0, longest)
        self.shortest = shortest
        self.readBytes = readBytes
    }

    /// Notes a read of `bytes` at `clock()` (seconds, monotonic; read only after a short read) and
    /// returns how long to sleep before the next one: 0 to read on.
    public mutating func sleep(afterReading bytes: Int, at clock: @autoclosure () -> Double) -> Double {
        spanBytes += bytes
        if bytes >= readBytes { spanFullReads += 1 }
        guard longest > 0, bytes > 0, bytes < readBytes else { return 0 }
        let now = clock()
        let span = now - spanStart
        guard spanBeganWithSleep || span >= longest else { return 0 }
        let rate = Double(spanBytes) / max(span, 1e-9)
        // Three full reads in one span: the reader fell behind (a sleep gathers about one read), so
        // whatever the average, this is no everyday rate: in an overload the reader or Redis loses the
        // CPU for tens of milliseconds, and the span reads slower than the flow.
        let fellBehind = spanFullReads >= Self.fullReadsOfAFlow
        // The next span counts from here, so a sleep is part of its time.
        spanBytes = 0
        spanFullReads = 0
        spanStart = now
        peakRate = max(rate, peakRate * Self.halving(over: now - peakAt))
        peakAt = now
        let gathersOneRead = peakRate > 0 ? Double(readBytes) / peakRate : longest
        let sleep = min(longest, gathersOneRead)
        spanBeganWithSleep = sleep >= shortest && !fellBehind
        return spanBeganWithSleep ? sleep : 0
    }

    /// Full reads in one span that mark a flow, not a trickle.
    static let fullReadsOfAFlow = 3
    /// Seconds for the peak rate to halve: from a 100 MB/s storm to sleeping again about 4 s.
    static let peakHalfLife = 1.0

    private static func halving(over seconds: Double) -> Double {
        seconds.isFinite ? exp2(-max(0, seconds) / peakHalfLife) : 0
    }
}
