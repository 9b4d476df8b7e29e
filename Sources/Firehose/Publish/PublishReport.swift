/// What a publisher run did, including what Redis said about the subscribers (PUBLISH's receiver count).
///
/// A receiver count that drops below the count at the start means a subscriber was disconnected
/// (Redis 7.0 keeps no counter for dropped slow subscribers; this is the only sign a publisher gets).
public struct PublishReport: Sendable, Equatable, Codable {
    public var messages = 0
    public var events = 0
    public var seconds = 0.0
    public var targetRate = 0.0
    /// Receivers of the first PUBLISH.
    public var initialReceivers = -1
    public var minReceivers = Int.max
    public var maxReceivers = 0
    /// Messages that reached fewer subscribers than the first one did.
    public var messagesBelowInitialReceivers = 0
    /// Messages that reached nobody.
    public var messagesWithoutReceivers = 0
    /// Index of the first message with fewer receivers than the first, or -1.
    public var firstDropMessage = -1
    /// Largest lag behind the pacing schedule, seconds.
    public var maxLagSeconds = 0.0
    /// Pipelined PUBLISH batches sent.
    public var batches = 0

    public init() {}

    /// Events per second actually achieved.
    public var achievedRate: Double { seconds > 0 ? Double(events) / seconds : 0 }

    /// Whether some subscriber stopped receiving during the run.
    public var receiversDropped: Bool { messagesBelowInitialReceivers > 0 }

    mutating func note(receivers: Int, message: Int) {
        if initialReceivers < 0 { initialReceivers = receivers }
        minReceivers = min(minReceivers, receivers)
        maxReceivers = max(maxReceivers, receivers)
        if receivers < initialReceivers {
            messagesBelowInitialReceivers += 1
            if firstDropMessage < 0 { firstDropMessage = message }
        }
        if receivers == 0 { messagesWithoutReceivers += 1 }
    }
}
