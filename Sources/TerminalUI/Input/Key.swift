/// A key press or terminal event, independent of any terminal library.
///
/// Printable input (including non-ASCII) arrives as `.char`; control combinations as `.ctrl` with a
/// lowercase letter (`.ctrl("c")`). Tab, Enter, Esc and Backspace have their own cases rather than
/// their control-code aliases. `.resize` means the terminal size changed; re-read `Terminal.size`.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case f(Int)
    case ctrl(Character)
    case resize
    /// A mouse press, release or wheel turn (only when mouse reporting is on).
    case mouse(MouseEvent)
    case unknown(Int32)

    /// The conventional name used in help screens and footers: `j`, `Up`, `PgDn`, `Enter`, `C-c`, `F1`,
    /// `space` for " ".
    public var description: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .f(let n): "F\(n)"
        case .ctrl(let c): "C-\(c)"
        case .resize: "Resize"
        case .mouse: "Mouse"
        case .unknown(let code): "Key(\(code))"
        }
    }
}
