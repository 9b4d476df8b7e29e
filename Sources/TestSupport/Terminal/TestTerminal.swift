import TerminalUI

/// An in-memory `Terminal` for tests: records every grid and diff, replays scripted keys.
///
/// `readKey` never waits: it pops the next scripted key, or returns nil when the script is empty; then
/// `onWait` is told how long a real terminal would have waited (a loop test advances its fake clock by
/// that much). `resize(to:)` changes the size and queues `.resize`, as a real terminal would.
public final class TestTerminal: Terminal {
    public private(set) var size: Size
    public let glyphs: Glyphs
    /// Every grid drawn, oldest first.
    public private(set) var frames: [Grid] = []
    /// The diff computed for each drawn grid, parallel to `frames`.
    public private(set) var diffs: [GridDiff] = []
    /// Keys still to be read.
    public var pendingKeys: [Key]
    public private(set) var restoreCount = 0
    /// Set by a test to play a terminal that went away.
    public var hasHungUp = false
    /// Called with `timeoutMs` when a read finds no scripted key: the wait a real terminal would do.
    public var onWait: ((Int) -> Void)?
    private var forceFullRedraw = false

    public init(width: Int, height: Int, glyphs: Glyphs = .unicode, keys: [Key] = []) {
        self.size = Size(width: width, height: height)
        self.glyphs = glyphs
        self.pendingKeys = keys
    }

    /// The last grid drawn.
    public var lastFrame: Grid? { frames.last }

    public func draw(_ grid: Grid) {
        let diff = GridDiff(from: forceFullRedraw ? nil : frames.last, to: grid)
        forceFullRedraw = false
        frames.append(grid)
        diffs.append(diff)
    }

    public func readKey(timeoutMs: Int) -> Key? {
        guard !pendingKeys.isEmpty else {
            onWait?(timeoutMs)
            return nil
        }
        return pendingKeys.removeFirst()
    }

    public func restore() { restoreCount += 1 }

    /// Appends keys to the script.
    public func type(_ keys: Key...) { pendingKeys.append(contentsOf: keys) }

    /// Changes the size, forces the next draw to be full, and queues `.resize`.
    public func resize(to newSize: Size) {
        size = newSize
        forceFullRedraw = true
        pendingKeys.append(.resize)
    }
}
