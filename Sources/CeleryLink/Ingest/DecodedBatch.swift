import Monitor

/// What the decode thread hands to the owner of the model: events plus the counters that go with them.
public struct DecodedBatch: Sendable {
    public var events: [CeleryEvent] = []
    public var stats = DecodeStats()

    public init() {}

    public var isEmpty: Bool { events.isEmpty && stats.messages == 0 }
}
