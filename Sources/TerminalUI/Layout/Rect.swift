/// A rectangle of cells: the area a view or widget may draw into.
///
/// Widths and heights are never negative; operations that would shrink past zero yield an empty rect.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public init(size: Size) {
        self.init(x: 0, y: 0, width: size.width, height: size.height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var size: Size { Size(width: width, height: height) }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var description: String { "(\(x),\(y) \(width)x\(height))" }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The rect shrunk by `horizontal` columns on each side and `vertical` rows at top and bottom.
    public func inset(horizontal: Int = 0, vertical: Int = 0) -> Rect {
        Rect(x: x + horizontal, y: y + vertical, width: width - 2 * horizontal, height: height - 2 * vertical)
    }

    /// The rect shrunk by `amount` on every side (e.g. 1 = inside a border).
    public func inset(by amount: Int) -> Rect { inset(horizontal: amount, vertical: amount) }

    /// The overlap of two rects (empty when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let nx = max(x, other.x), ny = max(y, other.y)
        let mx = min(maxX, other.maxX), my = min(maxY, other.maxY)
        guard mx > nx, my > ny else { return Rect(x: nx, y: ny, width: 0, height: 0) }
        return Rect(x: nx, y: ny, width: mx - nx, height: my - ny)
    }

    /// The one-row rect at row `index` (relative to `y`); empty when outside.
    public func row(_ index: Int) -> Rect {
        guard index >= 0, index < height else { return Rect(x: x, y: y + index, width: width, height: 0) }
        return Rect(x: x, y: y + index, width: width, height: 1)
    }

    /// A rect of at most `width` × `height` centred in this one (odd leftovers go right/down).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(max(0, w), width), ch = min(max(0, h), height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    /// Splits the rect into stacked rows by constraints (see `Layout`).
    public func rows(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout(.vertical, constraints, spacing: spacing).split(self)
    }

    /// Splits the rect into side-by-side columns by constraints (see `Layout`).
    public func columns(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout(.horizontal, constraints, spacing: spacing).split(self)
    }
}
