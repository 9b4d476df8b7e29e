/// Loss of one benchmark run, computed from what was published and what was folded (never assumed).
///
/// `lost` is the events published but never folded; the parts it can be explained by are counted
/// separately: the subscriber's inbox dropping messages, messages skipped as malformed, and whatever
/// is left, which is what Redis discarded (a disconnected slow subscriber) or never delivered.
public struct LossAccount: Sendable, Equatable, Codable {
    public var publishedEvents: Int
    public var foldedEvents: Int
    public var publishedMessages: Int
    /// Messages the subscriber received (from the decoder's message count plus inbox drops).
    public var receivedMessages: Int
    public var inboxDroppedMessages: Int
    public var malformedMessages: Int

    public init(
        publishedEvents: Int, foldedEvents: Int, publishedMessages: Int, receivedMessages: Int,
        inboxDroppedMessages: Int = 0, malformedMessages: Int = 0
    ) {
        self.publishedEvents = publishedEvents
        self.foldedEvents = foldedEvents
        self.publishedMessages = publishedMessages
        self.receivedMessages = receivedMessages
        self.inboxDroppedMessages = inboxDroppedMessages
        self.malformedMessages = malformedMessages
    }

    /// Events published and never folded.
    public var lostEvents: Int { max(0, publishedEvents - foldedEvents) }

    /// Events folded that were never published: always a bug (the count would be wrong).
    public var surplusEvents: Int { max(0, foldedEvents - publishedEvents) }

    /// Messages that never reached the subscriber at all (Redis dropped or never delivered them).
    public var undeliveredMessages: Int { max(0, publishedMessages - receivedMessages) }

    /// Share of published events lost, 0 to 1.
    public var lostShare: Double { publishedEvents > 0 ? Double(lostEvents) / Double(publishedEvents) : 0 }

    /// True only when every published event was folded and nothing extra appeared.
    public var isLossless: Bool { publishedEvents > 0 && lostEvents == 0 && surplusEvents == 0 }
}
