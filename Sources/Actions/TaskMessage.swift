import Monitor

/// A Celery protocol-2 task message for the Redis transport, as kombu LPUSHes it (`docs/celery-wire.md`, "Task messages, queues and priority").
///
/// Why: a requeue must look to a worker exactly like a message from `apply_async`: the full header set
/// (`root_id`/`parent_id` feed events, `argsrepr` feeds task-received and the logs, `retries` drives
/// `max_retries`), `properties.delivery_info` with exchange and routing key (without it the worker's
/// consumer crashes and the message is lost), a unique `delivery_tag` (the key in `unacked`) and the body
/// `[args, kwargs, embed]` in base64. Pure: ids, tag and origin are given, so tests can compare output.
/// Invariants: `args` is JSON array text and `kwargs` JSON object text, inserted verbatim.
public struct TaskMessage: Sendable, Equatable {
    public var id: String
    public var name: String
    public var args: String
    public var kwargs: String
    public var queue: String
    public var priority: Int?
    public var deliveryTag: String
    /// `<program>@<host>`, like Celery's `gen<pid>@<host>`.
    public var origin: String
    public var argsRepr: String
    public var kwargsRepr: String
    /// The producer's result reply queue; empty when nobody waits for the result.
    public var replyTo: String

    public init(
        id: String, name: String, args: String, kwargs: String, queue: String, priority: Int? = nil,
        deliveryTag: String, origin: String, argsRepr: String? = nil, kwargsRepr: String? = nil, replyTo: String = ""
    ) {
        self.id = id
        self.name = name
        self.args = args
        self.kwargs = kwargs
        self.queue = queue
        self.priority = priority
        self.deliveryTag = deliveryTag
        self.origin = origin
        self.argsRepr = argsRepr ?? TaskMessage.clipped(args)
        self.kwargsRepr = kwargsRepr ?? TaskMessage.clipped(kwargs)
        self.replyTo = replyTo
    }

    /// A message for a plan, with a new task id and delivery tag.
    public init(plan: RequeuePlan, id: String, deliveryTag: String, origin: String) {
        self.init(
            id: id, name: plan.name, args: plan.args, kwargs: plan.kwargs, queue: plan.queue, priority: plan.priority,
            deliveryTag: deliveryTag, origin: origin, argsRepr: plan.argsRepr, kwargsRepr: plan.kwargsRepr)
    }

    /// The embed part of the body: no callbacks, errbacks, chain or chord.
    public static let embed = #"{"callbacks": null, "errbacks": null, "chain": null, "chord": null}"#

    /// The decoded body: `[args, kwargs, embed]`.
    public var body: String { "[" + args + ", " + kwargs + ", " + TaskMessage.embed + "]" }

    /// The complete envelope as JSON text, keys in kombu's order.
    public var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("body", Base64.encode(Array(body.utf8)))
        writer.string("content-encoding", "utf-8")
        writer.string("content-type", "application/json")
        writer.beginObject("headers")
        writer.string("lang", "py")
        writer.string("task", name)
        writer.string("id", id)
        writer.null("shadow")
        writer.null("eta")
        writer.null("expires")
        writer.null("group")
        writer.null("group_index")
        writer.int("retries", 0)
        writer.raw("timelimit", "[null, null]")
        writer.string("root_id", id)
        writer.null("parent_id")
        writer.string("argsrepr", argsRepr)
        writer.string("kwargsrepr", kwargsRepr)
        writer.string("origin", origin)
        writer.bool("ignore_result", false)
        writer.int("replaced_task_nesting", 0)
        writer.null("stamped_headers")
        writer.raw("stamps", "{}")
        writer.endObject()
        writer.beginObject("properties")
        writer.string("correlation_id", id)
        writer.string("reply_to", replyTo)
        writer.int("delivery_mode", 2)
        writer.beginObject("delivery_info")
        writer.string("exchange", "")
        writer.string("routing_key", queue)
        writer.endObject()
        writer.int("priority", priority ?? 0)
        writer.string("body_encoding", "base64")
        writer.string("delivery_tag", deliveryTag)
        writer.endObject()
        writer.endObject()
        return writer.output
    }

    /// JSON text cut like Celery cuts a repr, for the display-only `argsrepr` when no repr is known.
    static func clipped(_ text: String) -> String {
        text.count <= PythonLiteral.reprCap ? text : String(text.prefix(PythonLiteral.reprCap)) + "..."
    }
}
