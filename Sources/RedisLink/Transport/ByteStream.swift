/// A connected, blocking byte stream to a Redis server: a plain socket (TCP or Unix) or TLS over one.
///
/// Why: hiredis 0.14 has no TLS, so retrytop owns the socket and keeps hiredis only for the protocol
/// (`ReplyReader`, `redisFormatCommandArgv`). Every connection (subscriber, control, result backend,
/// benchmark) reads through this one seam, so plain and TLS share the same reader code and the
/// subscriber's copy-only loop is the same over both.
///
/// Invariants: one thread uses an instance (not `Sendable`); `socketDescriptor` may be shut down from
/// another thread to wake a blocked read, which then fails with `.closed` or `.io`. Each `read` and
/// `write` waits at most the current timeout; a read timeout is not an error (nil) and loses nothing.
protocol ByteStream: AnyObject {
    /// The socket, for `shutdown(2)` from another thread.
    var socketDescriptor: Int32 { get }

    /// Reads what is available (at least one byte, and all that has arrived up to the buffer's size, over TLS
    /// too) into `buffer`; nil when the read timeout expired first. Throws `RedisError.closed` at end of
    /// stream and `.io` on failure.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int?

    /// Writes all of `bytes`; throws `.timeout`, `.closed` or `.io` when that is not possible.
    func write(_ bytes: UnsafeRawBufferPointer) throws

    /// Bounds every later read and write (SO_RCVTIMEO/SO_SNDTIMEO).
    func setTimeout(_ seconds: Double) throws

    /// Closes the stream; safe to call twice.
    func close()
}
