/// The Redis pub/sub names Celery uses for one broker database and set of transport options.
///
/// Why: Redis pub/sub ignores the database number, so kombu puts it into the channel name; the
/// monitor must subscribe to exactly the names the workers publish on (`docs/celery-wire.md`, "Event channels"):
/// `global_keyprefix + keyprefix_fanout + exchange [+ "/" + routing_key]`.
/// Pure: no I/O. The event pattern escapes glob characters that come from prefixes, so only the
/// trailing `*` acts as a wildcard.
public struct EventChannels: Sendable, Equatable {
    /// Celery's event exchange.
    public static let eventExchange = "celeryev"
    /// Celery's broadcast control exchange.
    public static let pidboxExchange = "celery.pidbox"

    public let db: Int
    public let options: TransportOptions

    public init(db: Int, options: TransportOptions = .default) {
        self.db = db
        self.options = options
    }

    /// kombu's `keyprefix_fanout` after formatting: `/{db}.`, `""` or the custom prefix.
    public var fanoutPrefix: String {
        switch options.fanoutPrefix {
        case .enabled: return "/\(db)."
        case .disabled: return ""
        case .custom(let prefix): return prefix.replacingOccurrences(of: "{db}", with: String(db))
        }
    }

    /// The channel a publisher uses for `exchange` and `routingKey` (kombu's `_get_publish_topic`).
    public func channel(exchange: String, routingKey: String) -> String {
        let base = options.globalKeyprefix + fanoutPrefix + exchange
        if !routingKey.isEmpty && options.fanoutPatterns {
            return base + "/" + routingKey
        }
        return base
    }

    /// The channel of one event type, e.g. `/0.celeryev/task.multi` for routing key `task.multi`.
    public func eventChannel(routingKey: String) -> String {
        channel(exchange: Self.eventExchange, routingKey: routingKey)
    }

    /// The PSUBSCRIBE pattern that receives every Celery event: `/0.celeryev/*` by default, or exactly
    /// `<prefix>celeryev` when `fanout_patterns` is off.
    public var eventPattern: String {
        let literal = Self.escapeGlob(options.globalKeyprefix + fanoutPrefix + Self.eventExchange)
        return options.fanoutPatterns ? literal + "/*" : literal
    }

    /// The channel control commands are published on (`/0.celery.pidbox`); its routing key is empty.
    public var pidboxChannel: String {
        channel(exchange: Self.pidboxExchange, routingKey: "")
    }

    /// Escapes Redis glob metacharacters (`* ? [ ] \`) so a prefix matches only itself.
    public static func escapeGlob(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if "*?[]\\".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
