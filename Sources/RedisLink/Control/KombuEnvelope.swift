import Foundation

/// The kombu message envelope that wraps every control request, reply and task message (`docs/celery-wire.md`, "Envelopes").
///
/// Why: workers only act on messages with this exact outer shape (`body` base64, `content-type`,
/// `properties.body_encoding` and a fresh `delivery_tag`); building and reading it in one place keeps
/// revoke, inspect and requeue consistent. Pure value; encoding writes sorted keys, which happens to be
/// kombu's own order.
public struct KombuEnvelope: Sendable, Equatable {
    /// The body after base64 decoding (UTF-8 JSON for everything Celery sends).
    public var body: [UInt8]
    public var contentType: String
    public var contentEncoding: String
    public var headers: [String: JSONValue]
    /// Must contain `delivery_tag`; `body_encoding` is set to `base64` when encoding.
    public var properties: [String: JSONValue]

    /// Why bytes are not a kombu envelope.
    public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { "not a kombu envelope: \(message)" }
    }

    public init(
        body: [UInt8], contentType: String = "application/json", contentEncoding: String = "utf-8",
        headers: [String: JSONValue] = [:], properties: [String: JSONValue] = [:]
    ) {
        self.body = body
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.headers = headers
        self.properties = properties
    }

    /// A broadcast control request (revoke, inspect, heartbeat) as `celery control` builds it.
    ///
    /// `expires` is epoch seconds (now + timeout); the worker ignores it, reply collectors use it.
    public static func controlRequest(body: JSONValue, expires: Double?, deliveryTag: String) -> KombuEnvelope {
        var headers: [String: JSONValue] = ["clock": 1]
        if let expires { headers["expires"] = .double(expires) }
        return KombuEnvelope(
            body: body.jsonBytes,
            headers: headers,
            properties: [
                "delivery_mode": 2,
                "delivery_info": ["exchange": .string(EventChannels.pidboxExchange), "routing_key": ""],
                "priority": 0,
                "body_encoding": "base64",
                "delivery_tag": .string(deliveryTag),
            ])
    }

    /// The envelope as JSON bytes with a base64 body.
    public func encoded() -> [UInt8] {
        var properties = self.properties
        properties["body_encoding"] = "base64"
        let value: JSONValue = [
            "body": .string(Data(body).base64EncodedString()),
            "content-encoding": .string(contentEncoding),
            "content-type": .string(contentType),
            "headers": .object(headers),
            "properties": .object(properties),
        ]
        return value.jsonBytes
    }

    /// Reads an envelope; the body is base64-decoded when `properties.body_encoding` says so.
    public static func decode(_ bytes: [UInt8]) throws -> KombuEnvelope {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw DecodeError(message: String(describing: error))
        }
        guard let object = value.objectValue else { throw DecodeError(message: "not a JSON object") }
        guard let bodyText = object["body"]?.stringValue else { throw DecodeError(message: "no string 'body'") }
        let properties = object["properties"]?.objectValue ?? [:]
        let body: [UInt8]
        if properties["body_encoding"]?.stringValue == "base64" {
            guard let data = Data(base64Encoded: bodyText) else { throw DecodeError(message: "body is not base64") }
            body = Array(data)
        } else {
            body = Array(bodyText.utf8)
        }
        return KombuEnvelope(
            body: body,
            contentType: object["content-type"]?.stringValue ?? "",
            contentEncoding: object["content-encoding"]?.stringValue ?? "",
            headers: object["headers"]?.objectValue ?? [:],
            properties: properties)
    }

    /// The body parsed as JSON.
    public func bodyJSON() throws -> JSONValue {
        try JSONValue.parse(body)
    }
}
