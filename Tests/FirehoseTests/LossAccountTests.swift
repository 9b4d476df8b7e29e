import Testing
@testable import Firehose

@Suite struct LossAccountTests {
    @Test func lossIsPublishedMinusFolded() {
        let account = LossAccount(publishedEvents: 10_000, foldedEvents: 7_000, publishedMessages: 5_000, receivedMessages: 3_600, inboxDroppedMessages: 100)
        #expect(account.lostEvents == 3_000)
        #expect(account.surplusEvents == 0)
        #expect(account.undeliveredMessages == 1_400)
        #expect(abs(account.lostShare - 0.3) < 1e-12)
        #expect(!account.isLossless)
    }

    @Test func losslessOnlyWhenEveryEventWasFolded() {
        #expect(LossAccount(publishedEvents: 500, foldedEvents: 500, publishedMessages: 250, receivedMessages: 250).isLossless)
        #expect(!LossAccount(publishedEvents: 0, foldedEvents: 0, publishedMessages: 0, receivedMessages: 0).isLossless)
        let surplus = LossAccount(publishedEvents: 500, foldedEvents: 501, publishedMessages: 250, receivedMessages: 250)
        #expect(surplus.surplusEvents == 1 && !surplus.isLossless)
    }

    @Test func publishReportSeesASubscriberGoAway() {
        var report = PublishReport()
        for (index, receivers) in [2, 2, 2, 1, 1, 0].enumerated() { report.note(receivers: receivers, message: index) }
        #expect(report.initialReceivers == 2)
        #expect(report.minReceivers == 0)
        #expect(report.messagesBelowInitialReceivers == 3)
        #expect(report.messagesWithoutReceivers == 1)
        #expect(report.firstDropMessage == 3)
        #expect(report.receiversDropped)
    }
}
