/// One pub/sub message exactly as Redis delivered it: the channel and the payload bytes.
///
/// Why: the subscriber thread must not decode (decoding on the reader gets it disconnected at high
/// rates), so it hands over undecoded bytes. Bound: the payload is at most the subscriber's
/// `maxPayloadBytes`; larger messages never become a `RawMessage`.
public struct RawMessage: Sendable, Equatable {
    public var channel: [UInt8]
    public var payload: [UInt8]

    public init(channel: [UInt8], payload: [UInt8]) {
        self.channel = channel
        self.payload = payload
    }

    /// Bytes this message accounts for in an inbox.
    public var byteCount: Int { channel.count + payload.count }
}
