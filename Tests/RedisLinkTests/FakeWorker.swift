import Foundation
import RedisLink

/// A stand-in for one Celery worker's pidbox: it receives one broadcast request and answers it the
/// way kombu does (SMEMBERS the reply binding, LPUSH an envelope carrying the request's ticket).
///
/// Why: it proves the requester's binding and BRPOP logic without Python. Before the real reply it
/// pushes one with a foreign ticket, which the requester must ignore. If the binding is missing it
/// answers nothing, as a real worker silently drops the reply.
final class FakeWorker: @unchecked Sendable {
    let url: BrokerURL
    let options: TransportOptions
    let nodename: String
    let result: JSONValue

    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var receivedBody: JSONValue?
    private var failure: String?

    init(url: BrokerURL, options: TransportOptions = .default, nodename: String = "w1@test", result: JSONValue = ["ok": "pong"]) {
        self.url = url
        self.options = options
        self.nodename = nodename
        self.result = result
    }

    /// Starts listening; returns once subscribed (false after 5 s).
    func start() -> Bool {
        let thread = Thread { [self] in self.run() }
        thread.start()
        return ready.wait(timeout: .now() + 5) == .success
    }

    /// Waits for the worker to finish its one request; returns the request body it saw.
    func finish() -> (body: JSONValue?, failure: String?) {
        _ = done.wait(timeout: .now() + 10)
        lock.lock()
        defer { lock.unlock() }
        return (receivedBody, failure)
    }

    private func run() {
        defer { done.signal() }
        do {
            let channels = EventChannels(db: url.db, options: options)
            let subscriber = RedisConnection(url: url, timeouts: .init(connect: 1, io: 10))
            try subscriber.connect()
            try subscriber.command(["PSUBSCRIBE", EventChannels.escapeGlob(channels.pidboxChannel)]).checked()
            ready.signal()
            let message = try subscriber.getReply()
            guard let parts = message.elements, parts.count == 4, let payload = parts[3].bytes else {
                throw RedisError.unexpectedReply("\(message)")
            }
            let envelope = try KombuEnvelope.decode(payload)
            let body = try envelope.bodyJSON()
            lock.lock()
            receivedBody = body
            lock.unlock()
            guard let ticket = body["ticket"]?.stringValue,
                  let routingKey = body["reply_to"]?["routing_key"]?.stringValue else { return }

            let commands = RedisConnection(url: url)
            try commands.connect()
            let prefix = options.globalKeyprefix
            let members = try commands.command(["SMEMBERS", prefix + "_kombu.binding.reply.celery.pidbox"]).checked()
            let bindings = (members.elements ?? []).compactMap { $0.bytes.flatMap(KombuBinding.init(member:)) }
            guard let binding = bindings.first(where: { $0.routingKey == routingKey }) else { return }
            let queueKey = Array((prefix + binding.queue).utf8)
            for replyTicket in ["someone-else", ticket] {
                let reply = KombuEnvelope(
                    body: JSONValue.object([nodename: replyTicket == ticket ? result : "wrong"]).jsonBytes,
                    headers: ["ticket": .string(replyTicket), "clock": 19],
                    properties: [
                        "delivery_mode": 1,
                        "delivery_info": ["exchange": "reply.celery.pidbox", "routing_key": .string(routingKey)],
                        "priority": 0,
                        "delivery_tag": .string(UUID().uuidString.lowercased()),
                    ])
                try commands.command([Array("LPUSH".utf8), queueKey, reply.encoded()]).checked()
            }
        } catch {
            lock.lock()
            failure = String(describing: error)
            lock.unlock()
        }
    }
}
