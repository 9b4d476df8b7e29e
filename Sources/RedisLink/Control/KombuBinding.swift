/// A member of a kombu `_kombu.binding.<exchange>` set: `routing_key \x06\x16 pattern \x06\x16 queue`.
///
/// Why: a worker routes an inspect reply only to queues found in this set; without the member the
/// reply is silently dropped (`docs/celery-wire.md`, "Remote control"). The separator is two raw bytes, so members are
/// bytes, not strings.
public struct KombuBinding: Sendable, Equatable {
    /// kombu's key separator, the bytes 0x06 0x16 (also used in priority queue names).
    public static let separator: [UInt8] = [0x06, 0x16]
    /// The binding set of an exchange, before any `global_keyprefix`.
    public static func setKey(exchange: String) -> String { "_kombu.binding.\(exchange)" }

    public var routingKey: String
    public var pattern: String
    public var queue: String

    public init(routingKey: String, pattern: String = "", queue: String) {
        self.routingKey = routingKey
        self.pattern = pattern
        self.queue = queue
    }

    /// The set member bytes.
    public var member: [UInt8] {
        Array(routingKey.utf8) + Self.separator + Array(pattern.utf8) + Self.separator + Array(queue.utf8)
    }

    /// Parses a set member; nil unless it has exactly three fields.
    public init?(member: [UInt8]) {
        var fields: [[UInt8]] = [[]]
        var index = 0
        while index < member.count {
            if index + 1 < member.count && member[index] == Self.separator[0] && member[index + 1] == Self.separator[1] {
                fields.append([])
                index += 2
            } else {
                fields[fields.count - 1].append(member[index])
                index += 1
            }
        }
        guard fields.count == 3 else { return nil }
        self.init(
            routingKey: String(decoding: fields[0], as: UTF8.self),
            pattern: String(decoding: fields[1], as: UTF8.self),
            queue: String(decoding: fields[2], as: UTF8.self))
    }
}
