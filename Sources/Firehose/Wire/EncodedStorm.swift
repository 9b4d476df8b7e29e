/// A storm's envelopes encoded up front into one contiguous buffer, ready to publish at full speed.
///
/// Why one buffer: 100,000 separate arrays cost allocator time and memory; the publisher only needs
/// pointers into the bytes. Messages keep publish order.
public struct EncodedStorm: Sendable {
    /// Envelope bytes of every message, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Start of each message in `bytes`, plus a final end offset.
    public private(set) var offsets: [Int] = [0]
    /// Routing key of each message (index into `routingKeys`).
    public private(set) var routes: [UInt8] = []
    public private(set) var routingKeys: [String] = []
    /// Events carried by each message.
    public private(set) var eventCounts: [Int32] = []

    public init(_ storm: Storm) {
        let count = storm.messageCount
        offsets.reserveCapacity(count + 1)
        routes.reserveCapacity(count)
        eventCounts.reserveCapacity(count)
        bytes.reserveCapacity(count * 2_000)
        for index in 0..<count {
            let message = storm.message(at: index)
            bytes.append(contentsOf: EnvelopeEncoder.envelope(message))
            offsets.append(bytes.count)
            if let route = routingKeys.firstIndex(of: message.routingKey) {
                routes.append(UInt8(route))
            } else {
                routes.append(UInt8(routingKeys.count))
                routingKeys.append(message.routingKey)
            }
            eventCounts.append(Int32(message.events.count))
        }
    }

    public var messageCount: Int { eventCounts.count }
    public var eventCount: Int { eventCounts.reduce(0) { $0 + Int($1) } }

    /// The envelope of message `index`.
    public func envelope(_ index: Int) -> ArraySlice<UInt8> {
        bytes[offsets[index]..<offsets[index + 1]]
    }
}
