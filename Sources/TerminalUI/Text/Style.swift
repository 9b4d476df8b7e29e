/// How a cell is drawn: colours and attributes.
///
/// A value type so that cells compare with `==` (the grid diff relies on it). Build styles with the
/// chaining modifiers: `Style.plain.fg(.red).bold()`.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var foreground: Color
    public var background: Color
    public var isBold: Bool
    public var isDim: Bool
    public var isReverse: Bool
    public var isUnderline: Bool

    /// The terminal's default look; what an empty cell has.
    public static let plain = Style()

    public init(
        fg foreground: Color = .default, bg background: Color = .default,
        bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.isBold = bold
        self.isDim = dim
        self.isReverse = reverse
        self.isUnderline = underline
    }

    public func fg(_ color: Color) -> Style { var s = self; s.foreground = color; return s }
    public func bg(_ color: Color) -> Style { var s = self; s.background = color; return s }
    public func bold(_ on: Bool = true) -> Style { var s = self; s.isBold = on; return s }
    public func dim(_ on: Bool = true) -> Style { var s = self; s.isDim = on; return s }
    public func reverse(_ on: Bool = true) -> Style { var s = self; s.isReverse = on; return s }
    public func underline(_ on: Bool = true) -> Style { var s = self; s.isUnderline = on; return s }

    /// A stable, readable name such as `bold+fg=red`; `plain` for the default style.
    public var description: String {
        var parts: [String] = []
        if isBold { parts.append("bold") }
        if isDim { parts.append("dim") }
        if isReverse { parts.append("reverse") }
        if isUnderline { parts.append("underline") }
        if foreground != .default { parts.append("fg=\(foreground)") }
        if background != .default { parts.append("bg=\(background)") }
        return parts.isEmpty ? "plain" : parts.joined(separator: "+")
    }
}
