/// Shares one copy of strings that repeat across many tasks (names, hostnames, queues, exceptions).
///
/// Bound: at most `capacity` distinct strings; past that, strings are returned as they are.
struct StringInterner: Sendable {
    let capacity: Int
    private var table: [String: String] = [:]

    static let inlineLimit = 15

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func intern(_ value: String) -> String {
        // Strings of up to 15 UTF-8 bytes live inline in the String value: sharing them saves nothing.
        if value.utf8.count <= StringInterner.inlineLimit { return value }
        if let shared = table[value] { return shared }
        if table.count < capacity { table[value] = value }
        return value
    }
}
