import CHiredis

/// One blocking connection to the broker: connect (plain, Unix socket or TLS), AUTH, SELECT,
/// binary-safe commands and pipelining.
///
/// Why: every Redis conversation in retrytop (the event subscriber, control commands, queue reads,
/// the publisher benchmark) needs the same careful handling: argv commands only (queue names hold
/// 0x06 0x16), timeouts told apart from failures, SIGPIPE ignored, replies copied out and freed once.
/// retrytop owns the socket (`ByteStream`: `SocketStream` or `TLSStream`, since Debian's hiredis 0.14 has
/// no TLS) and keeps hiredis for the protocol only (`redisFormatCommandArgv`, `ReplyReader`); a subscriber's
/// pmessages are framed by retrytop itself (`readFrames`, `PubSubFramer`).
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
    /// Where `url` points now (for `sentinel://`, the master the sentinels name at each connect).
    private let resolver: BrokerAddressResolver
    /// The server this connection reached, with `sentinel == nil`; nil until connected.
    public private(set) var server: BrokerURL?
    /// False for a connection to a sentinel, which has no databases.
    private var selectsDatabase = true
    /// The byte stream (plain socket or TLS) while connected.
    private var stream: ByteStream?
    /// hiredis' parser for this stream's replies; replaced on every connect.
    private var reader: ReplyReader?
    /// Formatted commands not yet written (pipelining: `append` queues, `getReply` flushes).
    private var output: [UInt8] = []
    /// Where reads land before they are fed to the reader; one TLS record is at most 16 KB.
    private var readBuffer = [UInt8](repeating: 0, count: RedisConnection.readBufferBytes)
    /// The subscriber's framer (`readFrames`): its own read buffer and pmessage fast path; nil until
    /// the first `readFrames` of a connection, and again after `nextReply` handed its bytes to hiredis.
    private var framer: PubSubFramer?
    /// Commands appended with `append` whose replies `getReply` has not read yet.
    public private(set) var pendingReplies = 0

    /// Bytes per read: above one TLS record (16 KB) and large enough that plain reads batch many messages.
    static let readBufferBytes = 64 * 1024

    /// Ignores SIGPIPE for the whole process, once, before the first connect (lazy static: thread-safe).
    private static let sigpipeIgnored: Bool = {
        chiredis_ignore_sigpipe()
        return true
    }()

    /// Creates an unconnected connection; call `connect()`.
    public init(url: BrokerURL, timeouts: Timeouts = .default, resolver: BrokerAddressResolver = SentinelResolver()) {
        self.url = url
        self.timeouts = timeouts
        self.resolver = resolver
    }

    /// A connection to one sentinel (its password and TLS, no database), for Sentinel commands.
    public static func sentinel(_ node: SentinelSettings.Node, settings: SentinelSettings, timeouts: Timeouts) -> RedisConnection {
        let url = BrokerURL(
            endpoint: .tcp(host: node.host, port: node.port), password: settings.password, tls: settings.tls)
        let connection = RedisConnection(url: url, timeouts: timeouts)
        connection.selectsDatabase = false
        return connection
    }

    /// "host:port" of the server reached, for messages and the header; the URL's endpoint before a connect.
    public var serverDescription: String { (server ?? url).endpointDescription }

    deinit {
        close()
    }

    public var isConnected: Bool { stream != nil }

    /// The socket, for `shutdown` from another thread; nil when closed.
    var socketDescriptor: Int32? {
        stream.map { $0.socketDescriptor }
    }

    /// Connects (closing any previous connection) to the server the resolver names (for `sentinel://`, the
    /// master now), performs the TLS handshake for `rediss://`, applies the I/O timeout, authenticates,
    /// selects the URL's database and, through Sentinel, checks with `ROLE` that the server is the master.
    public func connect() throws {
        close()
        _ = Self.sigpipeIgnored
        let target = try resolver.currentAddress(of: url, timeouts: timeouts)
        let socket = try SocketStream(connectingTo: target.endpoint, description: target.endpointDescription, timeout: timeouts.connect)
        let opened: ByteStream
        if let tls = target.tls, case .tcp(let host, _) = target.endpoint {
            try socket.setTimeout(timeouts.connect)
            opened = try TLSStream(socket: socket, host: host, settings: tls, endpoint: target.endpointDescription)
        } else {
            opened = socket
        }
        stream = opened
        reader = ReplyReader()
        do {
            try applyIOTimeout()
            try authenticate()
            if selectsDatabase { try selectDatabase() }
            if url.sentinel != nil { try verifyMaster(target) }
        } catch {
            close()
            throw error
        }
        server = target
    }

    /// Through Sentinel: asks the resolver where the master is now and reconnects there when it moved,
    /// so a command is never sent to a master the sentinels have already replaced. Other URLs: nothing.
    /// Costs one sentinel round trip; for control commands, not for the event stream.
    public func followMaster() throws {
        // No sentinel answering is no reason to refuse a master that still answers.
        guard url.sentinel != nil, let server, let current = try? resolver.currentAddress(of: url, timeouts: timeouts) else { return }
        if current.endpoint != server.endpoint { try connect() }
    }

    /// `ROLE` must say master: a sentinel's answer may be stale during a failover (the old master is
    /// demoted to a replica that still accepts PUBLISH, which would reach no worker).
    private func verifyMaster(_ target: BrokerURL) throws {
        let reply = try command(["ROLE"]).checked()
        let role = reply.elements?.first?.text ?? "\(reply)"
        guard role == "master" else { throw RedisError.notMaster(endpoint: target.endpointDescription, role: role) }
    }

    /// Closes the connection; safe to call twice.
    public func close() {
        stream?.close()
        stream = nil
        server = nil
        reader = nil
        framer = nil
        output.removeAll(keepingCapacity: true)
        pendingReplies = 0
    }

    /// Changes the read/write timeout, now and for later connects.
    public func setIOTimeout(_ seconds: Double) throws {
        timeouts.io = seconds
        if stream != nil { try applyIOTimeout() }
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
        guard stream != nil else { throw RedisError.notConnected }
        var formatted: UnsafeMutablePointer<CChar>?
        let length = Self.withArgv(arguments) { count, argv, lengths in
            redisFormatCommandArgv(&formatted, count, argv, lengths)
        }
        guard length > 0, let formatted else { throw RedisError.io("cannot format a command of \(arguments.count) arguments") }
        defer { redisFreeCommand(formatted) }
        formatted.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            output.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
        }
        pendingReplies += 1
    }

    public func append(_ arguments: [String]) throws {
        try append(arguments.map { Array($0.utf8) })
    }

    /// Flushes queued commands and reads the next reply. A timeout closes the connection.
    public func getReply() throws -> RedisReply {
        guard let raw = try nextReply(closingOnTimeout: true) else {
            close()
            throw RedisError.timeout("no reply within \(timeouts.io) s")
        }
        if pendingReplies > 0 { pendingReplies -= 1 }
        defer { freeReplyObject(raw) }
        return Self.copy(raw)
    }

    /// Reads the next reply and hands the raw hiredis tree to `body` before freeing it; returns nil
    /// when the read timed out.
    ///
    /// Only for a connection that never writes while reading (a subscriber): the reader keeps any
    /// partial reply across the timeout, so nothing is lost. Other failures close and throw.
    func readReplyOrTimeout<T>(_ body: (UnsafePointer<redisReply>) -> T) throws -> T? {
        guard let raw = try nextReply(closingOnTimeout: false) else { return nil }
        defer { freeReplyObject(raw) }
        return body(raw)
    }

    /// What `readFrames` hands over: a pmessage's channel and payload in the read buffer, a pmessage too
    /// large to keep (skipped), or any other reply as hiredis parsed it; each valid only while `body` runs.
    enum SubscriberFrame {
        case message(channel: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer)
        case oversized(bytes: Int)
        case reply(UnsafePointer<redisReply>)
    }

    /// Hands every whole frame to `body`, reading from the socket at most once and only when no whole
    /// frame is buffered; returns the bytes that read brought (0 when buffered frames were handed over
    /// without reading; `readBufferBytes` means the read filled its buffer and more is likely waiting),
    /// or nil when the read timed out.
    ///
    /// Why: the subscriber's hot path. pmessages are taken out of the framer's buffer directly (no
    /// hiredis tree; `PubSubFramer`), and everything one read brought is handed on
    /// as one batch (one lock, at most one wake-up of the decoder). Every other frame is parsed by hiredis, so
    /// pongs, confirmations and errors mean what they meant. Only for a connection that never writes
    /// while reading (a subscriber): a partial frame is kept across a timeout, so nothing is lost.
    /// Once used, the connection's replies go through the framer until `nextReply` hands its bytes back
    /// to hiredis. Other failures (a protocol error included) close the connection and throw.
    func readFrames(maxPayloadBytes: Int, _ body: (SubscriberFrame) -> Void) throws -> Int? {
        guard let stream, let reader else { throw RedisError.notConnected }
        do {
            try flushOutput(to: stream)
            let framer = try subscriberFramer(maxPayloadBytes: maxPayloadBytes, reader: reader)
            if try Self.deliverFrames(of: framer, reader: reader, body) > 0 { return 0 }
            guard let count = try framer.fill({ try stream.read(into: $0) }) else { return nil }
            _ = try Self.deliverFrames(of: framer, reader: reader, body)
            return count
        } catch {
            close()
            throw error
        }
    }

    /// The framer for `readFrames`, made on first use: hiredis must hold nothing then (its bytes would
    /// be skipped), which holds after any whole reply to a command.
    private func subscriberFramer(maxPayloadBytes: Int, reader: ReplyReader) throws -> PubSubFramer {
        if let framer, framer.maxPayloadBytes == maxPayloadBytes { return framer }
        if let framer {
            guard framer.isIdle else { throw RedisError.protocolError("the payload bound changed in the middle of a frame") }
        }
        guard reader.isIdle else { throw RedisError.protocolError("hiredis holds part of the stream; the framer cannot take over") }
        let made = PubSubFramer(maxPayloadBytes: maxPayloadBytes, readBytes: Self.readBufferBytes)
        framer = made
        return made
    }

    /// Hands each whole frame held by `framer` to `body`; returns how many.
    private static func deliverFrames(of framer: PubSubFramer, reader: ReplyReader, _ body: (SubscriberFrame) -> Void) throws -> Int {
        var handed = 0
        while let frame = try framer.next() {
            handed += 1
            switch frame {
            case .message(let channel, let payload):
                body(.message(channel: channel, payload: payload))
            case .oversized(let bytes):
                body(.oversized(bytes: bytes))
            case .other(let bytes):
                // Exactly one reply's bytes: hiredis must make one reply of them and keep nothing.
                try reader.feed(bytes)
                guard let reply = try reader.next(), reader.isIdle else {
                    throw RedisError.protocolError("a reply hiredis and the framer do not agree on")
                }
                body(.reply(UnsafePointer(reply)))
                freeReplyObject(reply)
            }
        }
        return handed
    }

    /// Writes the queued commands.
    private func flushOutput(to stream: any ByteStream) throws {
        guard !output.isEmpty else { return }
        try output.withUnsafeBytes { try stream.write($0) }
        output.removeAll(keepingCapacity: true)
    }

    /// Writes queued commands, then returns the next complete reply, reading at most once when none
    /// is buffered; nil when that read timed out. Any failure closes the connection and throws.
    private func nextReply(closingOnTimeout: Bool) throws -> UnsafeMutablePointer<redisReply>? {
        guard let stream, let reader else { throw RedisError.notConnected }
        do {
            if let framer {
                // After `readFrames`: what the framer holds comes first, through hiredis now.
                try framer.handOver { try reader.feed($0) }
                self.framer = nil
            }
            try flushOutput(to: stream)
            while true {
                if let reply = try reader.next() { return reply }
                let count = try readBuffer.withUnsafeMutableBytes { try stream.read(into: $0) }
                guard let count else { return nil }
                try readBuffer.withUnsafeBytes { try reader.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
        } catch {
            close()
            throw error
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
        guard let stream else { throw RedisError.notConnected }
        try stream.setTimeout(timeouts.io)
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
