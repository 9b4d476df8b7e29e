/// The body of a broadcast control command: `{"method", "arguments", "destination", "pattern",
/// "matcher"}` plus `ticket` and `reply_to` when replies are wanted (`docs/celery-wire.md`, "Remote control").
///
/// Why: revoke, heartbeat and every inspect method share this body; keeping it a value lets tests
/// compare what would be sent without Redis. Pure.
public struct PidboxRequest: Sendable, Equatable {
    /// The exchange replies are routed through.
    public static let replyExchange = "reply.celery.pidbox"

    public var method: String
    public var arguments: [String: JSONValue]
    /// Node names (`w1@host`) that should act; nil means every worker.
    public var destination: [String]?
    /// Set with `replyRoutingKey` when replies are wanted.
    public var ticket: String?
    /// The reply queue's routing key (the requester's oid).
    public var replyRoutingKey: String?

    public init(
        method: String, arguments: [String: JSONValue] = [:], destination: [String]? = nil,
        ticket: String? = nil, replyRoutingKey: String? = nil
    ) {
        self.method = method
        self.arguments = arguments
        self.destination = destination
        self.ticket = ticket
        self.replyRoutingKey = replyRoutingKey
    }

    public var json: JSONValue {
        var body: [String: JSONValue] = [
            "method": .string(method),
            "arguments": .object(arguments),
            "destination": destination.map { .array($0.map(JSONValue.string)) } ?? .null,
            "pattern": .null,
            "matcher": .null,
        ]
        if let ticket, let replyRoutingKey {
            body["ticket"] = .string(ticket)
            body["reply_to"] = ["exchange": .string(Self.replyExchange), "routing_key": .string(replyRoutingKey)]
        }
        return .object(body)
    }
}
