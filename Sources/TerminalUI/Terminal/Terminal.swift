/// The port through which the runtime talks to a screen: draw whole grids, read keys, restore.
///
/// Implementations diff each grid against the last one drawn and write only the changed runs.
/// All calls happen on one thread (the runtime loop); implementations are not thread-safe.
public protocol Terminal: AnyObject {
    /// Current size in cells; changes after a `.resize` key.
    var size: Size { get }
    /// The glyph set this terminal can display.
    var glyphs: Glyphs { get }
    /// Shows `grid`, writing only what changed since the previous draw (everything after a resize).
    func draw(_ grid: Grid)
    /// Waits up to `timeoutMs` (0 = poll) for a key; nil when none arrived.
    func readKey(timeoutMs: Int) -> Key?
    /// Gives the terminal back to the shell. Idempotent.
    func restore()
    /// Whether the terminal has gone away (the ssh session or the tmux/terminal window closed). A loop
    /// must then stop: reads return at once, and a loop that only waits on them would spin.
    var hasHungUp: Bool { get }
}

extension Terminal {
    /// An empty grid of the terminal's current size and glyph set, ready for a frame.
    public func makeGrid() -> Grid { Grid(size: size, glyphs: glyphs) }
}
