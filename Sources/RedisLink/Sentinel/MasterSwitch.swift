/// A `+switch-master` message from a sentinel: `<master-name> <old-ip> <old-port> <new-ip> <new-port>`.
///
/// Why: it is the moment Sentinel names a new master; the subscriber connects there at once instead of
/// waiting for the old master to cut it (workers keep publishing to the old one until then, so both are
/// read for a while, see docs/celery-wire.md).
///
/// Invariants: ports are 1...65535 and hosts non-empty; anything else is not a switch (nil). The name is
/// everything before the last four words (Sentinel names have no spaces, but nothing breaks if they do).
public struct MasterSwitch: Sendable, Equatable {
    public var masterName: String
    public var old: SentinelSettings.Node
    public var new: SentinelSettings.Node

    /// The Sentinel event channel that carries these messages.
    public static let channel = "+switch-master"

    public init(masterName: String, old: SentinelSettings.Node, new: SentinelSettings.Node) {
        self.masterName = masterName
        self.old = old
        self.new = new
    }

    /// Parses a message payload; nil when it is not of the documented shape.
    public init?(message: String) {
        let words = message.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 5,
              let oldPort = Int(words[words.count - 3]), (1...65_535).contains(oldPort),
              let newPort = Int(words[words.count - 1]), (1...65_535).contains(newPort)
        else { return nil }
        self.masterName = words[..<(words.count - 4)].joined(separator: " ")
        self.old = SentinelSettings.Node(host: String(words[words.count - 4]), port: oldPort)
        self.new = SentinelSettings.Node(host: String(words[words.count - 2]), port: newPort)
    }
}
