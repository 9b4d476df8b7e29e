/// One RESP2 reply, copied out of hiredis so it outlives `freeReplyObject`.
///
/// Why: hiredis replies are C trees that must be freed exactly once; copying them into a value type
/// at the boundary keeps every caller free of pointers. Bulk strings stay bytes (queue names and
/// payloads contain 0x06 0x16 and may contain NUL); `text` decodes them when a caller wants a String.
public enum RedisReply: Sendable, Equatable {
    case bulk([UInt8])
    case integer(Int64)
    case array([RedisReply])
    case null
    case status(String)
    case error(String)

    /// Bulk or status text as UTF-8 (invalid bytes repaired), else nil.
    public var text: String? {
        switch self {
        case .bulk(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let text): return text
        default: return nil
        }
    }

    /// Bulk bytes, or a status line's bytes, else nil.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): return bytes
        case .status(let text): return Array(text.utf8)
        default: return nil
        }
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var elements: [RedisReply]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// Throws `RedisError.server` for an error reply, else returns the reply itself.
    @discardableResult
    public func checked() throws -> RedisReply {
        if case .error(let message) = self { throw RedisError.server(message) }
        return self
    }
}
