import TerminalUI

/// The two header lines and the reconnect banner, as styled spans.
public struct HeaderModel: Sendable, Equatable {
    public var topLeft: [Span]
    public var topRight: [Span]
    public var bottomLeft: [Span]
    public var bottomRight: [Span]
    /// The red banner while reconnecting; nil when connected.
    public var banner: String?

    public init(topLeft: [Span], topRight: [Span], bottomLeft: [Span], bottomRight: [Span], banner: String?) {
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
        self.banner = banner
    }
}
