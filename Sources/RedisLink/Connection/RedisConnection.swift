import CHiredis

/// One blocking hiredis connection to the broker: connect, AUTH, SELECT, binary-safe commands and
/// pipelining.
///
/// Why: every Redis conversation in retrytop (the event subscriber, control commands, queue reads,
/// the publisher benchmark) needs the same careful handling of hiredis 0.14: argv commands only
/// (queue names hold 0x06 0x16), read timeouts re-applied after every connect, timeouts told apart from
/// failures, SIGPIPE ignored, replies copied out and freed once.
///
/// Invariants: not thread-safe and deliberately not `Sendable`; one thread owns an instance. After a
/// failure other than an error reply the connection is closed (its reply stream may be out of step)
/// and `connect()` must be called again. Bounds: connects take at most `timeouts.connect`, each read or
/// write at most `timeouts.io`.
public final class RedisConnection {
    /// Connect and I/O bounds, in seconds.
    public struct Timeouts: Sendable, Equatable {
        public var connect: Double
        public var io: Double

        public init(connect: Double = 2, io: Double = 5) {
            self.connect = connect
            self.io = io
        }

        public static let `default` = Timeouts()
    }

    public let url: BrokerURL
    public private(set) var timeouts: Timeouts
    private var context: UnsafeMutablePointer<redisContext>?
    /// Commands appended with `append` whose replies `getReply` has not read yet.
    public private(set) var pendingReplies = 0

    /// Ignores SIGPIPE for the whole process, once, before the first connect (lazy static: thread-safe).
    private static let sigpipeIgnored: Bool = {
        chiredis_ignore_sigpipe()
        return true
    }()

    /// Creates an unconnected connection; call `connect()`.
    public init(url: BrokerURL, timeouts: Timeouts = .default) {
        self.url = url
        self.timeouts = timeouts
    }

    deinit {
        close()
    }

    public var isConnected: Bool { context != nil }

    /// The socket, for `shutdown` from another thread; nil when closed.
    var socketDescriptor: Int32? {
        context.map { chiredis_fd($0) }
    }

    /// Connects (closing any previous connection), applies the I/O timeout, authenticates and selects
    /// the URL's database.
    public func connect() throws {
        close()
        _ = Self.sigpipeIgnored
        let created: UnsafeMutablePointer<redisContext>?
        switch url.endpoint {
        case .tcp(let host, let port):
            created = chiredis_connect_tcp(host, Int32(port), timeouts.connect)
        case .unixSocket(let path):
            created = chiredis_connect_unix(path, timeouts.connect)
        }
        guard let created else {
            throw RedisError.connectFailed(endpoint: url.endpointDescription, message: "cannot allocate a hiredis context")
        }
        if chiredis_err(created) != 0 {
            let message = String(cString: chiredis_errstr(created))
            redisFree(created)
            throw RedisError.connectFailed(endpoint: url.endpointDescription, message: message)
        }
        context = created
        do {
            try applyIOTimeout()
            try authenticate()
            try selectDatabase()
        } catch {
            close()
            throw error
        }
    }

    /// Closes the connection; safe to call twice.
    public func close() {
        if let context {
            redisFree(context)
        }
        context = nil
        pendingReplies = 0
    }

    /// Changes the read/write timeout, now and for later connects.
    public func setIOTimeout(_ seconds: Double) throws {
        timeouts.io = seconds
        if context != nil { try applyIOTimeout() }
    }

    /// Sends one command and returns its reply. Error replies are returned as `.error`, not thrown;
    /// use `checked()` to throw them.
    @discardableResult
    public func command(_ arguments: [[UInt8]]) throws -> RedisReply {
        guard pendingReplies == 0 else {
            throw RedisError.unexpectedReply("command() called with \(pendingReplies) pipelined replies unread")
        }
        try append(arguments)
        return try getReply()
    }

    /// Sends one command given as UTF-8 strings.
    @discardableResult
    public func command(_ arguments: [String]) throws -> RedisReply {
        try command(arguments.map { Array($0.utf8) })
    }

    /// Queues a command in the output buffer without waiting (pipelining); read its reply with `getReply`.
    public func append(_ arguments: [[UInt8]]) throws {
        let context = try requireContext()
        let status = Self.withArgv(arguments) { count, argv, lengths in
            redisAppendCommandArgv(context, count, argv, lengths)
        }
        guard status == REDIS_OK else { throw failure(context) }
        pendingReplies += 1
    }

    public func append(_ arguments: [String]) throws {
        try append(arguments.map { Array($0.utf8) })
    }

    /// Flushes queued commands and reads the next reply. A timeout closes the connection.
    public func getReply() throws -> RedisReply {
        let context = try requireContext()
        var raw: UnsafeMutablePointer<redisReply>?
        switch chiredis_get_reply(context, &raw) {
        case CHIREDIS_READ_OK:
            if pendingReplies > 0 { pendingReplies -= 1 }
            guard let raw else { throw RedisError.unexpectedReply("no reply") }
            defer { freeReplyObject(raw) }
            return Self.copy(raw)
        case CHIREDIS_READ_TIMEOUT:
            close()
            throw RedisError.timeout("no reply within \(timeouts.io) s")
        default:
            throw failure(context)
        }
    }

    /// Reads the next reply and hands the raw hiredis tree to `body` before freeing it; returns nil
    /// when the read timed out, after clearing hiredis' sticky error so the next read works.
    ///
    /// Only for a connection that never writes while reading (a subscriber): the reader keeps any
    /// partial reply across the timeout, so nothing is lost. Other failures close and throw.
    func readReplyOrTimeout<T>(_ body: (UnsafePointer<redisReply>) -> T) throws -> T? {
        let context = try requireContext()
        var raw: UnsafeMutablePointer<redisReply>?
        switch chiredis_get_reply(context, &raw) {
        case CHIREDIS_READ_OK:
            guard let raw else { throw RedisError.unexpectedReply("no reply") }
            defer { freeReplyObject(raw) }
            return body(raw)
        case CHIREDIS_READ_TIMEOUT:
            chiredis_clear_error(context)
            return nil
        default:
            throw failure(context)
        }
    }

    /// PING; throws unless the answer is PONG.
    public func ping() throws {
        let reply = try command(["PING"]).checked()
        guard reply.text == "PONG" else { throw RedisError.unexpectedReply("PING answered \(reply)") }
    }

    /// `CLIENT LIST` as text: one line per client connection (name, flags, `sub`/`psub` counts, buffers).
    public func clientList() throws -> String {
        let reply = try command(["CLIENT", "LIST"]).checked()
        guard let text = reply.text else { throw RedisError.unexpectedReply("CLIENT LIST answered \(reply)") }
        return text
    }

    // MARK: - Connect steps

    private func applyIOTimeout() throws {
        let context = try requireContext()
        guard chiredis_set_timeout(context, timeouts.io) == 0 else { throw failure(context) }
    }

    private func authenticate() throws {
        guard let password = url.password else { return }
        var arguments = ["AUTH"]
        if let username = url.username { arguments.append(username) }
        arguments.append(password)
        let reply = try command(arguments)
        if case .error(let message) = reply {
            throw RedisError.authenticationFailed(endpoint: url.redacted, message: message)
        }
    }

    private func selectDatabase() throws {
        let reply = try command(["SELECT", String(url.db)])
        if case .error(let message) = reply {
            if message.hasPrefix("NOAUTH") {
                throw RedisError.authenticationRequired(endpoint: url.redacted, message: message)
            }
            throw RedisError.selectFailed(db: url.db, message: message)
        }
    }

    // MARK: - C boundary

    private func requireContext() throws -> UnsafeMutablePointer<redisContext> {
        guard let context else { throw RedisError.notConnected }
        return context
    }

    /// Turns the context's error into a `RedisError` and closes the connection.
    private func failure(_ context: UnsafeMutablePointer<redisContext>) -> RedisError {
        let kind = chiredis_err(context)
        let message = String(cString: chiredis_errstr(context))
        close()
        switch kind {
        case chiredis_err_eof: return .closed(message.isEmpty ? "end of file" : message)
        case chiredis_err_protocol: return .protocolError(message)
        default: return .io(message)
        }
    }

    /// Lays the arguments out in one buffer and calls `body` with argc/argv/argvlen (binary safe).
    private static func withArgv<R>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)  // never empty, so baseAddress exists even for zero-length arguments
        return storage.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                let base = chars.baseAddress!
                var pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
                return pointers.withUnsafeMutableBufferPointer { argv in
                    lengths.withUnsafeBufferPointer { argvlen in
                        body(Int32(arguments.count), argv.baseAddress!, argvlen.baseAddress!)
                    }
                }
            }
        }
    }

    /// Copies a reply tree out of hiredis memory.
    static func copy(_ reply: UnsafePointer<redisReply>) -> RedisReply {
        let node = reply.pointee
        switch node.type {
        case chiredis_reply_string:
            return .bulk(bytes(node.str, node.len))
        case chiredis_reply_integer:
            return .integer(node.integer)
        case chiredis_reply_array:
            var items: [RedisReply] = []
            items.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                if let child = node.element[index] { items.append(copy(child)) } else { items.append(.null) }
            }
            return .array(items)
        case chiredis_reply_nil:
            return .null
        case chiredis_reply_status:
            return .status(String(decoding: bytes(node.str, node.len), as: UTF8.self))
        case chiredis_reply_error:
            return .error(String(decoding: bytes(node.str, node.len), as: UTF8.self))
        default:
            return .error("unknown hiredis reply type \(node.type)")
        }
    }

    /// The bytes of a string reply (`str`, `len`), empty when `str` is null.
    static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}
