/// A key and what it does, as shown in footers and dialogs: `KeyHint("q", "quit")`.
public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var label: String

    public init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }
}
