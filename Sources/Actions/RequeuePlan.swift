import Monitor

/// One task message to send: the original task, its exact arguments and where they go.
///
/// Invariants: `args`/`kwargs` are JSON text from `source`; `queue` is never empty.
public struct RequeuePlan: Sendable, Equatable {
    public var originalID: String
    public var name: String
    public var args: String
    public var kwargs: String
    public var source: ArgumentSource
    public var queue: String
    public var priority: Int?
    /// The original reprs, for the new message's `argsrepr`/`kwargsrepr` (display only).
    public var argsRepr: String?
    public var kwargsRepr: String?

    public init(
        originalID: String, name: String, args: String, kwargs: String, source: ArgumentSource, queue: String,
        priority: Int? = nil, argsRepr: String? = nil, kwargsRepr: String? = nil
    ) {
        self.originalID = originalID
        self.name = name
        self.args = args
        self.kwargs = kwargs
        self.source = source
        self.queue = queue
        self.priority = priority
        self.argsRepr = argsRepr
        self.kwargsRepr = kwargsRepr
    }
}
