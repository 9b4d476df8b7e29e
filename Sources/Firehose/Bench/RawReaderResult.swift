/// What the raw reader beside a rung (`bench/raw_reader.py`: PSUBSCRIBE and read, parsing nothing) did:
/// the yardstick of issue 17's overload criterion, "Redis never cuts the subscriber while a raw reader on
/// the same machine keeps up".
public struct RawReaderResult: Sendable, Equatable, Codable {
    /// Bytes read after the subscription's confirmation.
    public var bytes: Int
    /// Redis closed its connection (the reader saw the end of the stream, or failed to connect).
    public var closed: Bool
    public var error: String?
    public var cpuSeconds: Double
    /// Filled in by the bench, from its `CLIENT LIST` samples: the reader's id disappeared.
    public var dropped: Bool
    /// Largest output buffer Redis held for the reader while sampling (`omem`), bytes.
    public var maxOutputBufferBytes: Int

    enum CodingKeys: String, CodingKey {
        case bytes, closed, error, dropped
        case cpuSeconds = "cpu_seconds"
        case maxOutputBufferBytes = "max_output_buffer_bytes"
    }

    public init(bytes: Int, closed: Bool, error: String? = nil, cpuSeconds: Double, dropped: Bool = false, maxOutputBufferBytes: Int = 0) {
        (self.bytes, self.closed, self.error, self.cpuSeconds) = (bytes, closed, error, cpuSeconds)
        (self.dropped, self.maxOutputBufferBytes) = (dropped, maxOutputBufferBytes)
    }

    /// The script prints only what it knows; the bench's fields start empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bytes = try container.decode(Int.self, forKey: .bytes)
        closed = try container.decode(Bool.self, forKey: .closed)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        cpuSeconds = try container.decodeIfPresent(Double.self, forKey: .cpuSeconds) ?? 0
        dropped = try container.decodeIfPresent(Bool.self, forKey: .dropped) ?? false
        maxOutputBufferBytes = try container.decodeIfPresent(Int.self, forKey: .maxOutputBufferBytes) ?? 0
    }

    /// Redis kept the reader to the end: the machine delivered the rung to a subscriber that does nothing
    /// but read.
    public var keptUp: Bool { !closed && !dropped }
}
