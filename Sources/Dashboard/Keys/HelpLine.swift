/// One line of the generated help screen.
public struct HelpLine: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case heading, binding, dangerous, disabled, blank }

    public var kind: Kind
    public var text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }
}
