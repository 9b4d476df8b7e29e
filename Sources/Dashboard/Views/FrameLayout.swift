import TerminalUI

/// The rows every screen shares: a two-line header, an optional banner, the content, a status line
/// and the footer of key hints. Computed from the size alone, so `update` and views agree.
public struct FrameLayout: Sendable, Equatable {
    public var header: Rect
    public var banner: Rect
    public var content: Rect
    public var status: Rect
    public var footer: Rect

    public init(width: Int, height: Int, hasBanner: Bool) {
        let rows = Rect(x: 0, y: 0, width: width, height: height)
            .rows([.fixed(2), .fixed(hasBanner ? 1 : 0), .fill(1), .fixed(1), .fixed(1)])
        header = rows[0]
        banner = rows[1]
        content = rows[2]
        status = rows[3]
        footer = rows[4]
    }
}
