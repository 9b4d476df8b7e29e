/// Exception texts seen by the fold, each stored once with its fingerprint computed once.
///
/// Why: in a storm the same few exception texts arrive thousands of times a second, and computing a
/// fingerprint (a Unicode scan) per event cost more than the rest of the fold; one hash lookup per event
/// replaces it. Bound: at most `capacity` distinct texts; when full, the catalog starts over empty (a
/// long storm of per-task texts then still hits for a task's repeated attempts, and memory stays bounded).
struct ExceptionCatalog: Sendable {
    struct Entry: Sendable {
        var text: String
        var fingerprint: String
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The shared copy of `text` and its fingerprint.
    mutating func entry(_ text: String) -> Entry {
        if let entry = entries[text] { return entry }
        let entry = Entry(text: text, fingerprint: ExceptionFingerprint.of(text))
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[text] = entry
        return entry
    }
}
