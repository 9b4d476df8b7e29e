/// A centred modal box: title, message lines and button hints such as `y confirm  n/Esc cancel`.
///
/// It clears the area beneath it, sizes itself to its content (at least `minWidth`, at most the
/// area) and word-wraps the message to fit. A dangerous dialog draws its border in red.
public struct Dialog: Widget, Hashable, Sendable {
    public var title: String
    public var message: [String]
    public var buttons: [KeyHint]
    public var isDangerous: Bool
    public var minWidth: Int

    public init(
        title: String, message: [String],
        buttons: [KeyHint] = [KeyHint("y", "confirm"), KeyHint("n/Esc", "cancel")],
        isDangerous: Bool = false, minWidth: Int = 30
    ) {
        self.title = title
        self.message = message
        self.buttons = buttons
        self.isDangerous = isDangerous
        self.minWidth = minWidth
    }

    private var buttonsWidth: Int {
        KeyHints(buttons).spans(width: .max).reduce(0) { $0 + $1.width }
    }

    /// The rect the dialog occupies inside `area`: border, one column of padding on each side.
    public func frame(in area: Rect) -> Rect {
        let contentWidth = max(title.displayWidth + 2, buttonsWidth, message.map(\.displayWidth).max() ?? 0)
        let width = min(area.width, max(minWidth, contentWidth + 4))
        let lines = wrappedMessage(textWidth: width - 4)
        return area.centered(width: width, height: lines.count + 4)
    }

    private func wrappedMessage(textWidth: Int) -> [String] {
        message.flatMap { $0.isEmpty ? [""] : TextView.wrap($0, width: max(1, textWidth)) }
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        let frame = frame(in: area)
        guard frame.width >= 4, frame.height >= 3 else { return }
        grid.clear(frame)
        let box = Box(title: title, isFocused: true, focusRole: isDangerous ? .failureStrong : .focusBorder)
        grid.render(box, in: frame)
        let inner = box.inner(of: frame).inset(horizontal: 1)
        let parts = inner.rows([.fill(1), .fixed(1)])
        let lines = wrappedMessage(textWidth: inner.width)
        grid.render(TextView(lines: lines, wraps: false), in: parts[0])
        grid.render(KeyHints(buttons), in: parts[1])
    }
}
