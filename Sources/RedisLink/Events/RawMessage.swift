/// One pub/sub message exactly as Redis delivered it: the channel and the payload bytes.
///
/// Why: the subscriber thread must not decode (decoding on the reader gets it disconnected at high
/// rates), so it hands over undecoded bytes; and at the publisher's maximum every allocation and every
/// fresh page on the reader counts. So a message is a range of a `MessageChunk`: the reader copies the
/// messages of a read one after another into a chunk taken from a `MessageChunkPool`, and the chunk goes
/// back to the pool when the decoder has dropped its last message (no allocation per message, and no
/// page faults once the pool is warm). Bound: the payload is at most the subscriber's `maxPayloadBytes`;
/// larger messages never become a `RawMessage`.
public struct RawMessage: Sendable, Equatable {
    /// Holds the bytes: channel, then payload, at `offset`.
    private let chunk: MessageChunk
    private let offset: Int
    private let channelCount: Int
    /// Channel and payload bytes together.
    public let byteCount: Int

    public init(channel: [UInt8], payload: [UInt8]) {
        let chunk = MessageChunk(ownBytes: channel.count + payload.count)
        channel.withUnsafeBytes { chunk.write($0, at: 0) }
        payload.withUnsafeBytes { chunk.write($0, at: channel.count) }
        self.init(chunk: chunk, offset: 0, channelCount: channel.count, byteCount: channel.count + payload.count)
    }

    /// A message already written into `chunk` at `offset`.
    init(chunk: MessageChunk, offset: Int, channelCount: Int, byteCount: Int) {
        self.chunk = chunk
        self.offset = offset
        self.channelCount = channelCount
        self.byteCount = byteCount
    }

    /// The channel (a copy).
    public var channel: [UInt8] { withBytes { Array($0.prefix(channelCount)) } }

    /// The payload (a copy; the decoder reads it in place with `withPayload`).
    public var payload: [UInt8] { withPayload { Array($0) } }

    /// Calls `body` with the payload's bytes in place (no copy).
    public func withPayload<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withBytes { try body(UnsafeBufferPointer(rebasing: $0[channelCount...])) }
    }

    private func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withExtendedLifetime(chunk) {
            try body(UnsafeBufferPointer(start: chunk.base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), count: byteCount))
        }
    }

    public static func == (lhs: RawMessage, rhs: RawMessage) -> Bool {
        lhs.channelCount == rhs.channelCount && lhs.byteCount == rhs.byteCount
            && lhs.withBytes { left in rhs.withBytes { right in left.elementsEqual(right) } }
    }
}
