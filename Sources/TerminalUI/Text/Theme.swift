/// How each `StyleRole` is drawn: one table for colour terminals, one for `NO_COLOR`.
///
/// The monochrome theme keeps only bold, dim, reverse and underline, and gives the focused pane a
/// reversed title (bold alone is too faint to find the focus). Every role has an entry in both.
public struct Theme: Hashable, Sendable {
    public let name: String
    private let styles: [StyleRole: Style]

    public init(name: String, styles: [StyleRole: Style]) {
        self.name = name
        self.styles = styles
    }

    public subscript(role: StyleRole) -> Style { styles[role] ?? .plain }

    /// The eight-colour theme.
    public static let color = Theme(name: "color", styles: [
        .plain: .plain,
        .strong: Style(bold: true),
        .muted: Style(dim: true),
        .accent: Style(fg: .cyan, bold: true),
        .info: Style(fg: .cyan),
        .infoStrong: Style(fg: .cyan, bold: true),
        .success: Style(fg: .green),
        .successStrong: Style(fg: .green, bold: true),
        .warning: Style(fg: .yellow),
        .warningStrong: Style(fg: .yellow, bold: true),
        .failure: Style(fg: .red),
        .failureStrong: Style(fg: .red, bold: true),
        .revoked: Style(fg: .magenta),
        .changed: Style(fg: .magenta),
        .focusBorder: Style(fg: .cyan, bold: true),
        .focusTitle: Style(fg: .cyan, bold: true),
        .alarmBanner: Style(fg: .white, bg: .red, bold: true),
        .frozenBadge: Style(fg: .black, bg: .cyan, bold: true),
        .readOnlyBadge: Style(fg: .black, bg: .yellow, bold: true),
        .dangerBadge: Style(fg: .black, bg: .red, bold: true),
        .selection: Style(reverse: true),
    ])

    /// The `NO_COLOR` theme: attributes only.
    public static let monochrome = Theme(name: "monochrome", styles: [
        .plain: .plain,
        .strong: Style(bold: true),
        .muted: Style(dim: true),
        .accent: Style(bold: true),
        .info: .plain,
        .infoStrong: Style(bold: true),
        .success: .plain,
        .successStrong: Style(bold: true),
        .warning: .plain,
        .warningStrong: Style(bold: true),
        .failure: Style(underline: true),
        .failureStrong: Style(bold: true, underline: true),
        .revoked: Style(dim: true),
        .changed: .plain,
        .focusBorder: Style(bold: true),
        .focusTitle: Style(bold: true, reverse: true),
        .alarmBanner: Style(bold: true, reverse: true),
        .frozenBadge: Style(bold: true, reverse: true),
        .readOnlyBadge: Style(bold: true, reverse: true),
        .dangerBadge: Style(bold: true, reverse: true),
        .selection: Style(reverse: true),
    ])
}
