/// Maps a message priority to the Redis list kombu uses for it (`docs/celery-wire.md`, "Task messages, queues and priority").
///
/// Why: kombu's Redis transport emulates priorities with one list per step `[0, 3, 6, 9]`; a
/// requeued message must land in the list the worker's BRPOP reads, or it waits behind the wrong
/// queue. Bucket = `steps[bisect_right(steps, p) - 1]` after clamping p to 0...9; bucket 0 is the plain
/// queue name, others are `name \x06\x16 <step>`. Pure.
public enum PriorityBucket {
    public static let steps = [0, 3, 6, 9]

    /// The step a priority falls into; nil counts as 0.
    public static func step(for priority: Int?) -> Int {
        let clamped = min(max(priority ?? 0, steps[0]), steps[steps.count - 1])
        let insertion = steps.firstIndex(where: { $0 > clamped }) ?? steps.count
        return steps[insertion - 1]
    }

    /// The list key for `queue` at `priority` (without any `global_keyprefix`).
    public static func key(queue: String, priority: Int?) -> [UInt8] {
        key(queue: queue, step: step(for: priority))
    }

    /// The list key for `queue` at an exact step.
    public static func key(queue: String, step: Int) -> [UInt8] {
        step == 0 ? Array(queue.utf8) : Array(queue.utf8) + KombuBinding.separator + Array(String(step).utf8)
    }

    /// Every list of a queue, highest priority (step 0) first: the key order of the worker's BRPOP.
    public static func allKeys(queue: String) -> [[UInt8]] {
        steps.map { key(queue: queue, step: $0) }
    }
}
