/// How much of a split one segment asks for.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (shrunk only when the area is too small).
    case fixed(Int)
    /// `p` percent of the area (rounded by largest remainder so percents sum exactly).
    case percent(Int)
    /// At least `n` cells; grows when there are no `.fill` segments.
    case min(Int)
    /// A share of what is left, proportional to `weight`.
    case fill(Int)
}
