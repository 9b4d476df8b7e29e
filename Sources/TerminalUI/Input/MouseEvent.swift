/// A mouse button or wheel event at a cell (0-based), independent of any terminal library.
///
/// Terminals report presses, releases and wheel turns once mouse reporting is on (xterm's 1000 mode
/// with SGR 1006 coordinates); a double click is two presses, recognised by the dashboard.
public struct MouseEvent: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case press
        case release
        case wheelUp
        case wheelDown
        /// A press of another button (middle, right): ignored by the dashboard.
        case otherButton
    }

    public var x: Int
    public var y: Int
    public var action: Action

    public init(x: Int, y: Int, action: Action) {
        self.x = x
        self.y = y
        self.action = action
    }

    /// Decodes the body of an SGR mouse report, `<B;X;YM` (press) or `<B;X;Ym` (release), as it follows
    /// `ESC [`; nil when it is not one. Coordinates are 1-based on the wire; modifiers are ignored.
    public init?(sgr body: String) {
        guard body.first == "<", let final = body.last, final == "M" || final == "m" else { return nil }
        let fields = body.dropFirst().dropLast().split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count == 3, let button = Int(fields[0]), let column = Int(fields[1]), let row = Int(fields[2]),
              (0...1_023).contains(button), (1...10_000).contains(column), (1...10_000).contains(row)
        else { return nil }
        x = column - 1
        y = row - 1
        let base = button & ~(4 | 8 | 16)  // shift, meta, control
        switch base {
        case 64: action = .wheelUp
        case 65: action = .wheelDown
        case 0: action = final == "M" ? .press : .release
        default: action = final == "M" ? .otherButton : .release
        }
        if base & 32 != 0 { action = .otherButton }  // motion with a button held: not a click
    }
}
