import Monitor

/// The arguments of a task as JSON text, exactly as a worker received them, and what else the source said.
///
/// Invariants: `args` is the text of a JSON array and `kwargs` of a JSON object; they are copied, not
/// re-encoded, except from `inspect` replies. `name`, `queue` and `priority` are nil when the source
/// does not carry them.
public struct ExactArguments: Sendable, Equatable {
    public var args: String
    public var kwargs: String
    public var source: ArgumentSource
    public var name: String?
    public var queue: String?
    public var priority: Int?

    public init(args: String, kwargs: String, source: ArgumentSource, name: String? = nil, queue: String? = nil, priority: Int? = nil) {
        self.args = args
        self.kwargs = kwargs
        self.source = source
        self.name = name
        self.queue = queue
        self.priority = priority
    }

    /// Reads a decoded protocol-2 task body `[args, kwargs, embed]`; nil unless it has that shape.
    public static func fromTaskBody(
        _ body: [UInt8], source: ArgumentSource, name: String?, queue: String?, priority: Int?
    ) -> ExactArguments? {
        guard let parts = RawJSON.elements(body), parts.count >= 2,
              parts[0].hasPrefix("["), parts[1].hasPrefix("{")
        else { return nil }
        return ExactArguments(args: parts[0], kwargs: parts[1], source: source, name: name, queue: queue, priority: priority)
    }

    /// Reads a result-backend record (`celery-task-meta-<id>`); nil unless it holds `args` and
    /// `kwargs`, which Celery writes only with `result_extended=True`.
    public static func fromResultMeta(_ meta: [UInt8]) -> ExactArguments? {
        RawJSON.members(meta).flatMap(fromResultMeta(members:))
    }

    /// The same from a record already cut into its members (`RawJSON.members`).
    public static func fromResultMeta(members: [String: String]) -> ExactArguments? {
        guard let args = members["args"], args.hasPrefix("["),
              let kwargs = members["kwargs"], kwargs.hasPrefix("{")
        else { return nil }
        return ExactArguments(
            args: args, kwargs: kwargs, source: .resultBackend,
            name: members["name"].flatMap(RawJSON.string), queue: members["queue"].flatMap(RawJSON.string))
    }
}
