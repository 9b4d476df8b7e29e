/// Horizontal placement of text inside a wider area.
public enum Alignment: Hashable, Sendable {
    case left, center, right
}
