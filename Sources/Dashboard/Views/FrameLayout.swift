import TerminalUI

/// The rows every screen shares: a two-line header, an optional banner, an optional requeue line,
/// the content, a status line and the footer of key hints. Computed from the size and the two
/// flags alone, so `update` and views agree.
public struct FrameLayout: Sendable, Equatable {
    public var header: Rect
    public var banner: Rect
    /// The progress (or summary) of a requeue; empty when none is shown.
    public var requeue: Rect
    /// The changes retrytop made to the workers (one row each, at most `AppState.maxChangeRows`).
    public var changes: Rect
    /// The outcome of the last action, until dismissed; empty when none.
    public var report: Rect
    public var content: Rect
    public var status: Rect
    public var footer: Rect

    public init(width: Int, height: Int, hasBanner: Bool, hasRequeueLine: Bool = false, changeRows: Int = 0, hasReport: Bool = false) {
        let rows = Rect(x: 0, y: 0, width: width, height: height)
            .rows([
                .fixed(2), .fixed(hasBanner ? 1 : 0), .fixed(hasRequeueLine ? 1 : 0), .fixed(max(0, changeRows)), .fixed(hasReport ? 1 : 0),
                .fill(1), .fixed(1), .fixed(1),
            ])
        header = rows[0]
        banner = rows[1]
        requeue = rows[2]
        changes = rows[3]
        report = rows[4]
        content = rows[5]
        status = rows[6]
        footer = rows[7]
    }
}
