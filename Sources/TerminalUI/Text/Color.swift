/// A colour from the small palette every colour terminal supports.
///
/// The palette is deliberately the eight ANSI colours plus the terminal's own default, so that a
/// screen looks the same under any theme and degrades cleanly to monochrome (`NO_COLOR`).
public enum Color: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white

    public var description: String {
        switch self {
        case .default: "default"
        case .black: "black"
        case .red: "red"
        case .green: "green"
        case .yellow: "yellow"
        case .blue: "blue"
        case .magenta: "magenta"
        case .cyan: "cyan"
        case .white: "white"
        }
    }
}
