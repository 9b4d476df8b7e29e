/// Traceback text per attempt, kept apart from task records so memory stays bounded.
///
/// Texts are kept as the decoder left them (escaped; see `EscapedText`) and unescaped when read.
/// Bound: `maxBytes` of UTF-8 text (the unescaped length); past it, the oldest tracebacks are dropped first (a storm's newest
/// tracebacks are the ones people read). Texts are not interned: hashing a 1–2 KB traceback per event
/// cost more than the rest of the fold, and the byte bound holds either way.
struct TracebackStore: Sendable {
    struct Key: Hashable, Sendable {
        var taskID: TaskKey
        var attempt: Int

        /// The task key's cheap hash, with the attempt folded into the seed.
        func _rawHashValue(seed: Int) -> Int {
            taskID._rawHashValue(seed: seed ^ attempt &* 0x2545_F491)
        }
    }

    let maxBytes: Int
    private var texts: [Key: EscapedText] = [:]
    private var order: [Key] = []
    private var head = 0
    private(set) var bytes = 0
    private(set) var evicted = 0

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    func text(taskID: TaskKey, attempt: Int) -> String? {
        texts[Key(taskID: taskID, attempt: attempt)]?.string
    }

    /// The text as stored (still escaped: unescaping is left to whoever reads it, on its own thread).
    func escaped(_ key: Key) -> EscapedText? {
        texts[key]
    }

    mutating func store(_ text: EscapedText, taskID: TaskKey, attempt: Int) {
        let key = Key(taskID: taskID, attempt: attempt)
        let size = text.utf8Count
        guard size <= maxBytes else { return }
        if let old = texts.updateValue(text, forKey: key) {
            bytes -= old.utf8Count
        } else {
            order.append(key)
        }
        bytes += size
        while bytes > maxBytes, head < order.count {
            let oldest = order[head]
            head += 1
            if let removed = texts.removeValue(forKey: oldest) {
                bytes -= removed.utf8Count
                evicted += 1
            }
        }
        if head > 4_096, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// Room for `count` more texts of `bytes` in all: as many of them as fit in the bytes still free (past
    /// that, each new text evicts an old one and the table does not grow), so no more than inserting them
    /// would have taken.
    mutating func reserveCapacity(count: Int, bytes incoming: Int) {
        let free = maxBytes - bytes
        guard count > 0, incoming > 0, free > 0 else { return }
        let kept = incoming <= free ? count : Int(Double(count) * Double(free) / Double(incoming))
        texts.reserveCapacity(texts.count + kept)
        // An array reserves exactly what is asked: at least doubled, or a follower's small merges would each
        // copy the whole list.
        if order.count + kept > order.capacity { order.reserveCapacity(Swift.max(order.count + kept, 2 * order.capacity)) }
    }

    mutating func remove(taskID: TaskKey, attempts: [Attempt]) {
        for attempt in attempts {
            if let removed = texts.removeValue(forKey: Key(taskID: taskID, attempt: attempt.number)) {
                bytes -= removed.utf8Count
            }
        }
    }
}
