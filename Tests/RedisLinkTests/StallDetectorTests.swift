import RedisLink
import Testing

/// The stall rules on a virtual monotonic clock: PING a quiet link, a gap from the last reply, reconnect.
@Suite struct StallDetectorTests {
    @Test func aQuietLinkIsPingedOnceAndAPongMovesCaughtUp() {
        var detector = StallDetector(subscribedAt: 100)
        let step1 = detector.check(at: 100.5)
        #expect(step1 == .wait)
        let step2 = detector.check(at: 101)
        #expect(step2 == .ping)
        #expect(detector.pingSentAt == 101)
        let step3 = detector.check(at: 101.5)
        #expect(step3 == .wait, "one PING outstanding at a time")
        let step4 = detector.replyReceived(at: 101.6, isPong: true)
        #expect(!step4)
        #expect(detector.caughtUpAt == 101)
        #expect(detector.pingSentAt == nil)
        #expect(detector.lastReplyAt == 101.6)
    }

    @Test func silenceBecomesAStallFromTheLastReplyThenAReconnect() {
        var detector = StallDetector(subscribedAt: 0)
        let step5 = detector.replyReceived(at: 10, isPong: false)
        #expect(!step5)
        let step6 = detector.check(at: 11)
        #expect(step6 == .ping)
        let step7 = detector.check(at: 12.9)
        #expect(step7 == .wait)
        let step8 = detector.check(at: 13)
        #expect(step8 == .stalled(since: 10))
        #expect(detector.isStalled)
        let step9 = detector.check(at: 16)
        #expect(step9 == .wait, "a stall is reported once")
        let step10 = detector.check(at: 22)
        #expect(step10 == .reconnect)
    }

    @Test func aReplyEndsTheStall() {
        var detector = StallDetector(timing: .init(pingInterval: 0.5, stallAfter: 1, reconnectAfter: 2), subscribedAt: 0)
        let step11 = detector.check(at: 0.5)
        #expect(step11 == .ping)
        let step12 = detector.check(at: 1.2)
        #expect(step12 == .stalled(since: 0))
        let step13 = detector.replyReceived(at: 1.5, isPong: true)
        #expect(step13)
        #expect(!detector.isStalled)
        #expect(detector.caughtUpAt == 0.5)
        let step14 = detector.check(at: 1.6)
        #expect(step14 == .wait)
        let step15 = detector.check(at: 2.0)
        #expect(step15 == .ping)
    }

    @Test func messagesKeepTheLinkAliveWithoutPings() {
        var detector = StallDetector(subscribedAt: 0)
        for tick in 1...50 {
            let now = Double(tick) * 0.4
            _ = detector.replyReceived(at: now, isPong: false)
            let step16 = detector.check(at: now + 0.2)
            #expect(step16 == .wait)
        }
        #expect(detector.caughtUpAt == 0)
    }
}
