import TerminalUI

/// The rows every screen shares: a two-line header, an optional banner, an optional requeue line,
/// the content, a status line and the footer of key hints. Computed from the size and the two
/// flags alone, so `update` and views agree.
public struct FrameLayout: Sendable, Equatable {
    public var header: Rect
    public var banner: Rect
    /// The progress (or summary) of a requeue; empty when none is shown.
    public var requeue: Rect
    public var content: Rect
    public var status: Rect
    public var footer: Rect

    public init(width: Int, height: Int, hasBanner: Bool, hasRequeueLine: Bool = false) {
        let rows = Rect(x: 0, y: 0, width: width, height: height)
            .rows([.fixed(2), .fixed(hasBanner ? 1 : 0), .fixed(hasRequeueLine ? 1 : 0), .fill(1), .fixed(1), .fixed(1)])
        header = rows[0]
        banner = rows[1]
        requeue = rows[2]
        content = rows[3]
        status = rows[4]
        footer = rows[5]
    }
}
