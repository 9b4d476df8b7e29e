import Monitor

/// One pub/sub message of a storm: the routing key, the sender and the events it carries.
///
/// Task events travel as a JSON array on `task.multi` (even a single one, as Celery sends them);
/// worker events as one JSON object on `worker.<kind>`.
public struct StormMessage: Sendable, Equatable {
    public var routingKey: String
    public var hostname: String
    public var events: [CeleryEvent]
    /// Whether the body is a JSON array (`task.multi`) rather than one object.
    public var isArray: Bool
    /// kombu's `delivery_tag`: a fresh uuid per publish.
    public var deliveryTag: String

    public init(routingKey: String, hostname: String, events: [CeleryEvent], isArray: Bool, deliveryTag: String) {
        self.routingKey = routingKey
        self.hostname = hostname
        self.events = events
        self.isArray = isArray
        self.deliveryTag = deliveryTag
    }
}
