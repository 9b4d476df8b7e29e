/// One rung of the end-to-end ladder: one storm at one rate through Redis into the real ingest pipeline.
public struct RungResult: Sendable, Equatable, Codable {
    /// The batch mix ("1-3", "1"), followed by " over TLS" for a rung through `rediss://`.
    public var batch: String
    public var targetRate: Double
    /// Whether Celery's EventReceiver + State was subscribed to the same storm at the same time.
    public var sideBySide: Bool
    public var publish: PublishReport
    public var loss: LossAccount
    /// The subscriber's connection id disappeared from `CLIENT LIST` (Redis dropped it).
    public var subscriberDropped: Bool
    /// Reconnects the subscriber made (each one means a gap in which events were lost).
    public var reconnects: Int
    /// Largest output buffer Redis held for the subscriber while sampling (`omem`), bytes.
    public var maxOutputBufferBytes: Int
    /// Largest raw inbox depth (messages waiting for the decoder).
    public var peakInboxMessages: Int
    /// Tasks whose folded state, retries or attempts differ from the generator's truth.
    public var truthMismatches: Int
    /// Tasks in the truth.
    public var tasks: Int
    /// CPU seconds of the whole retrytop process (reader, decoder, fold) during the rung.
    public var cpuSeconds: Double
    /// Peak RSS of the retrytop process during the rung, bytes.
    public var peakRSSBytes: Int
    /// Seconds from the last publish until the last event was folded.
    public var drainSeconds: Double
    public var peer: PeerResult?
    /// The raw reader subscribed beside this rung (`bench --raw-reader`), if any.
    public var rawReader: RawReaderResult?

    public init(batch: String, targetRate: Double, sideBySide: Bool, publish: PublishReport, loss: LossAccount, subscriberDropped: Bool, reconnects: Int, maxOutputBufferBytes: Int, peakInboxMessages: Int, truthMismatches: Int, tasks: Int, cpuSeconds: Double, peakRSSBytes: Int, drainSeconds: Double, peer: PeerResult?, rawReader: RawReaderResult? = nil) {
        self.batch = batch
        self.targetRate = targetRate
        self.sideBySide = sideBySide
        self.publish = publish
        self.loss = loss
        self.subscriberDropped = subscriberDropped
        self.reconnects = reconnects
        self.maxOutputBufferBytes = maxOutputBufferBytes
        self.peakInboxMessages = peakInboxMessages
        self.truthMismatches = truthMismatches
        self.tasks = tasks
        self.cpuSeconds = cpuSeconds
        self.peakRSSBytes = peakRSSBytes
        self.drainSeconds = drainSeconds
        self.peer = peer
        self.rawReader = rawReader
    }

    /// Zero loss, no drop, no reconnect, and the truth reproduced.
    public var isClean: Bool {
        loss.isLossless && !subscriberDropped && reconnects == 0 && truthMismatches == 0
    }

    /// The peer lost nothing and stayed connected.
    public var peerIsClean: Bool {
        guard let peer else { return false }
        return peer.events == loss.publishedEvents && !peer.disconnected
    }
}
