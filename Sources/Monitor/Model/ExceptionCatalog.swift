/// Exception texts seen by the fold, each stored once with its fingerprint computed once.
///
/// Why: in a storm the same few exception texts arrive thousands of times a second, and computing a
/// fingerprint (a Unicode scan) per event cost more than the rest of the fold; one hash lookup per event
/// replaces it. Bound: at most `capacity` distinct texts; when full, the catalog starts over empty (a
/// long storm of per-task texts then still hits for a task's repeated attempts, and memory stays bounded).
struct ExceptionCatalog: Sendable {
    /// One exception text with its fingerprint, shared by every attempt that raised it (an attempt holds
    /// one pointer to it, not the text). Immutable, hence Sendable.
    final class Entry: Sendable, Equatable {
        let text: String
        let fingerprint: FingerprintKey

        init(text: String, fingerprint: FingerprintKey) {
            self.text = text
            self.fingerprint = fingerprint
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs === rhs || lhs.text == rhs.text }
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]
    /// One copy of each fingerprint (bound: `maxFingerprints`; past it, keys are used as they come).
    private var fingerprints: Set<FingerprintKey> = []
    static let maxFingerprints = 4_096

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The shared copy of `text` and its fingerprint.
    private mutating func canonical(_ key: FingerprintKey) -> FingerprintKey {
        if fingerprints.count < ExceptionCatalog.maxFingerprints { return fingerprints.insert(key).memberAfterInsert }
        return fingerprints.firstIndex(of: key).map { fingerprints[$0] } ?? key
    }

    mutating func entry(_ text: String) -> Entry {
        if let entry = entries[text] { return entry }
        // Texts differ per task (ids, counts) but share a few fingerprints: one copy of each, or every
        // task's entry would keep its own ~100-byte fingerprint alive.
        let entry = Entry(text: text, fingerprint: canonical(FingerprintKey(ExceptionFingerprint.of(text))))
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[text] = entry
        return entry
    }
}
