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
}
