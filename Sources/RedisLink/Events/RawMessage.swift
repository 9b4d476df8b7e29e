/// One pub/sub message exactly as Redis delivered it: the channel and the payload bytes.
///
/// Why: the subscriber thread must not decode (decoding on the reader gets it disconnected at high
/// rates), so it hands over undecoded bytes; and at the publisher's maximum every allocation on the
/// reader counts, so channel and payload share one buffer (one allocation and one copy per message,
/// `PubSubFramer`). Bound: the payload is at most the subscriber's `maxPayloadBytes`; larger messages
/// never become a `RawMessage`.
public struct RawMessage: Sendable, Equatable {
    /// The channel's bytes followed by the payload's.
    private var bytes: [UInt8]
    private var channelCount: Int

    public init(channel: [UInt8], payload: [UInt8]) {
        bytes = channel + payload
        channelCount = channel.count
    }

    /// Copies channel and payload out of a read buffer into one allocation.
    init(channel: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) {
        let total = channel.count + payload.count
        bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let target = UnsafeMutableRawBufferPointer(buffer)
            if let source = channel.baseAddress, channel.count > 0 {
                target.baseAddress!.copyMemory(from: source, byteCount: channel.count)
            }
            if let source = payload.baseAddress, payload.count > 0 {
                target.baseAddress!.advanced(by: channel.count).copyMemory(from: source, byteCount: payload.count)
            }
            initialized = total
        }
        channelCount = channel.count
    }

    /// The channel (a copy).
    public var channel: [UInt8] { Array(bytes[..<channelCount]) }

    /// The payload (a copy; the decoder reads it in place with `withPayload`).
    public var payload: [UInt8] { Array(bytes[channelCount...]) }

    /// Calls `body` with the payload's bytes in place (no copy).
    public func withPayload<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[channelCount...]))
        }
    }

    /// Bytes this message accounts for in an inbox.
    public var byteCount: Int { bytes.count }
}
