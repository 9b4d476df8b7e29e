/// The parsed output of Redis `CLIENT LIST`: which connections exist and what they subscribe to.
///
/// Why: Redis 7.0 keeps no counter of pub/sub clients it dropped for a full output buffer; the only
/// evidence is that the subscriber's connection id is gone (a reconnect gets a new id).
public struct ClientList: Sendable, Equatable {
    public struct Client: Sendable, Equatable {
        public var id: Int
        public var patterns: Int
        public var channels: Int
        /// Output buffer memory, bytes (`omem`): how far behind a subscriber is.
        public var outputMemory: Int
        public var command: String
    }

    public var clients: [Client]

    public init(text: String) {
        clients = text.split(separator: "\n").compactMap { line in
            var fields: [Substring: Substring] = [:]
            for pair in line.split(separator: " ") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                fields[pair[..<equals]] = pair[pair.index(after: equals)...]
            }
            guard let id = fields["id"].flatMap({ Int($0) }) else { return nil }
            return Client(
                id: id, patterns: fields["psub"].flatMap { Int($0) } ?? 0, channels: fields["sub"].flatMap { Int($0) } ?? 0,
                outputMemory: fields["omem"].flatMap { Int($0) } ?? 0, command: fields["cmd"].map(String.init) ?? "")
        }
    }

    /// Ids of connections subscribed to at least one pattern.
    public var patternSubscriberIDs: Set<Int> {
        Set(clients.filter { $0.patterns > 0 }.map(\.id))
    }

    public func client(id: Int) -> Client? { clients.first { $0.id == id } }
}
