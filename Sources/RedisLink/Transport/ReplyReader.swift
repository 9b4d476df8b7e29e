import CHiredis

/// hiredis' RESP2 reply parser fed with bytes from any `ByteStream`.
///
/// Why: hiredis 0.14's reader (`redisReaderCreate/Feed/GetReply`) is independent of its sockets, so
/// retrytop keeps its parser while owning the transport, TLS included. A subscriber's pmessages bypass it
/// (`PubSubFramer`); every other reply, on every connection, is parsed here.
///
/// Invariants: a partial reply is kept across feeds, so a read timeout in the middle of a message loses
/// nothing. After a protocol error the reader is unusable; the connection must be dropped. Bounds: hiredis
/// frees its idle buffer above 16 KB and nests replies at most 9 deep (deeper is a protocol error).
final class ReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>

    init() {
        reader = redisReaderCreate()
    }

    deinit {
        redisReaderFree(reader)
    }

    /// Appends bytes read from the stream.
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count) == REDIS_OK else {
            throw RedisError.protocolError(String(cString: chiredis_reader_errstr(reader)))
        }
    }

    /// True when no unparsed byte and no half-parsed reply is held (another parser may take the stream over).
    var isIdle: Bool { chiredis_reader_is_idle(reader) != 0 }

    /// The next complete reply, or nil when more bytes are needed. The caller frees it with `freeReplyObject`.
    func next() throws -> UnsafeMutablePointer<redisReply>? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else {
            throw RedisError.protocolError(String(cString: chiredis_reader_errstr(reader)))
        }
        return raw?.assumingMemoryBound(to: redisReply.self)
    }
}
