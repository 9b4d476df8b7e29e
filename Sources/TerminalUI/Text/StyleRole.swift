/// What a piece of text means on screen, named once so that a `Theme` decides how it looks.
///
/// Views and view models ask for a role, never for a colour: the colour theme and the monochrome
/// (`NO_COLOR`) theme map the same roles, so meaning survives without colour.
public enum StyleRole: String, CaseIterable, Hashable, Sendable {
    /// The terminal's default look.
    case plain
    /// Emphasised text: counts that matter, the clock, column headers.
    case strong
    /// Secondary text: hints, ids, empty-list lines, unfocused borders of collapsed panes.
    case muted
    /// Keys, headings and the product name.
    case accent
    /// Neutral live information: progress bars, running attempts, links to other tasks.
    case info
    /// Running attempts and countdowns that call for attention.
    case infoStrong
    case success
    case successStrong
    /// Retries, waiting states, "not trusted" notes.
    case warning
    case warningStrong
    case failure
    /// Final failures, last attempts, storms, disconnects, dangerous dialogs.
    case failureStrong
    case revoked
    /// Changes retrytop made to the workers (rate limits, queues), listed until undone.
    case changed
    /// The border of the focused pane or dialog.
    case focusBorder
    /// The title of the focused pane: must stay visible without colour.
    case focusTitle
    /// A full-width alarm line (reconnecting, evicted).
    case alarmBanner
    /// Header badges: frozen view, read-only, TLS unverified.
    case frozenBadge
    case readOnlyBadge
    case dangerBadge
    /// The selected row of the focused list, and the text cursor.
    case selection
}
