import Foundation

/// The real captures from `../shared/celery-wire/captures`, copied into `Tests/Fixtures/wire`.
///
/// Each envelope line is `{"t", "channel", "envelope"}`; the envelope object is re-encoded to bytes
/// exactly as kombu would publish it (key order aside), so tests drive the full decoder.
public enum WireFixture {
    public struct Message: Sendable {
        public var time: Double
        public var channel: String
        public var payload: [UInt8]
    }

    public static var directory: URL {
        RepoPaths.root.appendingPathComponent("Tests/Fixtures/wire")
    }

    public static func url(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    /// The raw envelopes of one capture phase (`"p1"`, `"p3"`, …), in capture order.
    public static func envelopes(_ phase: String) throws -> [Message] {
        let text = try String(contentsOf: url("\(phase)_envelopes.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let envelope = object["envelope"] else { return nil }
            let channel = object["channel"] as? String ?? ""
            let payload = try JSONSerialization.data(withJSONObject: envelope)
            return Message(time: object["t"] as? Double ?? 0, channel: channel, payload: Array(payload))
        }
    }

    /// Only the event envelopes (channels containing `celeryev`) of a phase.
    public static func eventEnvelopes(_ phase: String) throws -> [Message] {
        try envelopes(phase).filter { $0.channel.contains("celeryev") }
    }

    /// The decoded event bodies of a phase recorded without envelopes (`{phase}_events.jsonl`: one line per
    /// event, `body` as the worker sent it, `t` the arrival time at the recorder), re-encoded as JSON bytes
    /// for `EventDecoder.decodeBody`, in arrival order. Only event channels (`celeryev`).
    public static func eventBodies(_ phase: String) throws -> [Message] {
        let text = try String(contentsOf: url("\(phase)_events.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let channel = object["channel"] as? String, channel.contains("celeryev"),
                  let body = object["body"] else { return nil }
            let payload = try JSONSerialization.data(withJSONObject: body)
            return Message(time: object["t"] as? Double ?? 0, channel: channel, payload: Array(payload))
        }
    }

    /// The example of each event type from `examples_by_type.json`, as body bytes.
    public static func examples() throws -> [String: [UInt8]] {
        let data = try Data(contentsOf: url("examples_by_type.json"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else { return [:] }
        var result: [String: [UInt8]] = [:]
        for (key, value) in object {
            guard let body = value["body"] else { continue }
            result[key] = Array(try JSONSerialization.data(withJSONObject: body))
        }
        return result
    }
}
