/// Shares one copy of strings that repeat across many tasks (names, hostnames, queues, exceptions).
///
/// Bound: at most `capacity` distinct strings; past that, strings are returned as they are.
struct StringInterner: Sendable {
    let capacity: Int
    private var table: [String: String] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func intern(optional value: String?) -> String? {
        guard let value else { return nil }
        return intern(value)
    }

    mutating func intern(_ value: String) -> String {
        if let shared = table[value] { return shared }
        if table.count < capacity { table[value] = value }
        return value
    }
}
