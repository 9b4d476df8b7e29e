import CNcurses
import TerminalUI

/// Translates what `get_wch` returns into `Key`: function-key codes and plain (wide) characters.
enum NCursesKeys {
    /// A key code (`get_wch` returned `KEY_CODE_YES`).
    static func key(code: Int32) -> Key {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME, KEY_BEG: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_RESIZE: .resize
        case KEY_F0...rt_key_f(63): .f(Int(code - KEY_F0))
        default: .unknown(code)
        }
    }

    /// A character (`get_wch` returned `OK`): control codes become named keys or `.ctrl`.
    static func key(character value: UInt32) -> Key {
        switch value {
        case 9: .tab
        case 10, 13: .enter
        case 27: .escape
        case 8, 127: .backspace
        case 0: .ctrl(" ")
        case 1...26: .ctrl(Character(Unicode.Scalar(UInt8(value + 96))))
        case 28...31: .ctrl(Character(Unicode.Scalar(UInt8(value + 64))))
        default:
            if let scalar = Unicode.Scalar(value) { .char(Character(scalar)) } else { .unknown(Int32(bitPattern: value)) }
        }
    }

    /// A raw escape sequence (without the leading ESC) that terminfo did not decode, e.g. `[1~` for
    /// Home when `TERM` does not match the terminal. Covers the common xterm/VT forms, with or without
    /// modifier parameters (`[1;5A` is Up); anything else is `.unknown(27)`.
    static func key(escapeSequence sequence: String) -> Key {
        if sequence.hasPrefix("[<") {
            return MouseEvent(sgr: String(sequence.dropFirst())).map(Key.mouse) ?? .unknown(27)
        }
        let chars = Array(sequence)
        guard chars.count >= 2, chars[0] == "[" || chars[0] == "O", let final = chars.last else { return .unknown(27) }
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "P", "Q", "R", "S": return .f(Int(final.asciiValue! - Character("P").asciiValue!) + 1)
        case "~":
            let parameters = String(chars.dropFirst().dropLast())
            let code = parameters.split(separator: ";").first.flatMap { Int($0) } ?? 0
            switch code {
            case 1, 7: return .home
            case 4, 8: return .end
            case 3: return .delete
            case 5: return .pageUp
            case 6: return .pageDown
            case 11...15: return .f(code - 10)
            case 17...21: return .f(code - 11)
            case 23, 24: return .f(code - 12)
            default: return .unknown(27)
            }
        default: return .unknown(27)
        }
    }
}
