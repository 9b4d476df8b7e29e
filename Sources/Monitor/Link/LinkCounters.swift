/// The link's counters from one drain of an event source: what `LinkStatus.absorb(_:)` takes.
///
/// The one counters type both the dashboard (through `SourceUpdate`) and the headless commands
/// (through the ingest pipeline's drain) fill, so the two cannot count differently.
public struct LinkCounters: Sendable {
    /// Decoder counters for the messages decoded since the last drain (added to the total).
    public var decode: DecodeStats
    /// Raw messages the subscriber dropped and refused as oversized so far (cumulative: they replace).
    public var inboxDropped: Int
    public var inboxOversized: Int

    public init(decode: DecodeStats = DecodeStats(), inboxDropped: Int = 0, inboxOversized: Int = 0) {
        self.decode = decode
        self.inboxDropped = inboxDropped
        self.inboxOversized = inboxOversized
    }

    /// Nothing decoded and nothing lost: no message to send.
    public var isEmpty: Bool { decode.messages == 0 && inboxDropped == 0 && inboxOversized == 0 }
}
